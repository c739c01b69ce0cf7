using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// A change to the VM's configuration that removes or cheapens exits through a mechanism of the model,
/// never by scaling a result. Each plug-in edits its own part of the scenario, so any set of them gives
/// the same scenario whatever the order (checked by a property test).
/// </summary>
public abstract class Optimisation
{
    /// <summary>The name users type after --with.</summary>
    public abstract string Name { get; }
    /// <summary>One line: what it is.</summary>
    public abstract string Description { get; }
    /// <summary>What changes in the model, and so which exits go away.</summary>
    public abstract string Mechanism { get; }
    /// <summary>The mechanism in one short sentence (what <c>exitsim explain</c> prints next to the effect).</summary>
    public abstract string Summary { get; }
    /// <summary>Where the mechanism is documented.</summary>
    public abstract string Source { get; }
    /// <summary>The vendor whose hardware has it; null for any.</summary>
    public virtual Vendor? Vendor => null;

    public abstract Scenario Apply(Scenario s);

    /// <summary>Whether the scenario already has it (from its host defaults or its own settings): applying it would change nothing.</summary>
    public virtual bool IsOn(Scenario s) => OptimisationCatalog.WithSortedFeatures(Apply(s)) == OptimisationCatalog.WithSortedFeatures(s);

    protected static Scenario WithDevices(Scenario s, Func<DeviceSpec, DeviceSpec> change) =>
        s with { Devices = new DevicesSpec { Disk = s.Devices.Disk is { } d ? change(d) : null, Nic = s.Devices.Nic is { } n ? change(n) : null } };

    protected static Scenario WithFeatures(Scenario s, params string[] features) =>
        s with { Host = s.Host with { Features = s.Host.Features.Union(features).ToEquatableArray() } };
}
