using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>The optimisation plug-ins, and how a set of them is applied to a scenario.</summary>
public static class OptimisationCatalog
{
    public static readonly IReadOnlyList<Optimisation> All =
    [
        new Virtio(),
        new Vhost(),
        new Multiqueue(),
        new HugePages(2L << 20),
        new HugePages(1L << 30),
        new ApicVirtualisation(Vendor.Intel),
        new ApicVirtualisation(Vendor.Amd),
        new Ipiv(),
        new PostedInterrupts(),
        new PvEoi(),
        new HaltPolling(),
    ];

    public static Optimisation? Find(string name) => All.FirstOrDefault(o => o.Name == name);

    /// <summary>Why <paramref name="name"/> cannot be used on a <paramref name="vendor"/> host, or null when it can.</summary>
    public static string? Problem(string name, Vendor vendor)
    {
        if (Find(name) is not { } o)
        {
            string? near = Suggest.Closest(name, All.Select(x => x.Name));
            return $"unknown optimisation '{name}'" + (near is not null ? $" (did you mean '{near}'?" : " (") +
                   $" known: {string.Join(", ", All.Select(x => x.Name))})";
        }
        if (o.Vendor is { } v && v != vendor)
            return $"'{name}' is {(v == Vendor.Intel ? "Intel" : "AMD")} hardware but the host is vendor: {vendor.ToString().ToLowerInvariant()} " +
                   $"(use {(v == Vendor.Intel ? "avic" : "apicv")})";
        return null;
    }

    /// <summary>
    /// Applies the named optimisations in the order given. Each edits its own part of the scenario, so the order
    /// does not matter (a property test checks it); combinations that cannot work (vhost on an emulated device,
    /// two page sizes) are refused.
    /// </summary>
    public static Scenario Apply(Scenario s, IReadOnlyCollection<string> names)
    {
        foreach (var name in names)
            if (Problem(name, s.Host.Vendor) is { } problem) throw new OptimisationException(problem);
        if (names.Contains("hugepages-2m") && names.Contains("hugepages-1g"))
            throw new OptimisationException("hugepages-2m and hugepages-1g both set the page size: pick one");
        var result = s;
        foreach (var name in names.Distinct()) result = Find(name)!.Apply(result);
        result = result with { Host = result.Host with { Features = result.Host.Features.OrderBy(f => f, StringComparer.Ordinal).ToEquatableArray() } };
        Check(result, names);
        return result;
    }

    private static void Check(Scenario s, IReadOnlyCollection<string> names)
    {
        foreach (var (device, what) in new[] { (s.Devices.Disk, "disk"), (s.Devices.Nic, "nic") })
        {
            if (device is null) continue;
            bool virtio = DeviceModels.IsVirtio(device.Model);
            string model = DeviceModels.Name(device.Model);
            if (device.Dataplane == Dataplane.Vhost && !virtio)
                throw new OptimisationException($"vhost serves virtio queues but the {what} is an emulated {model} (add virtio)");
            if (device.Queues > 1 && !virtio)
                throw new OptimisationException($"multiqueue needs virtio devices but the {what} is an emulated {model} (add virtio)");
            if (virtio && device.Dataplane == Dataplane.Qemu && device.Qemu is null)
                throw new OptimisationException($"{model} needs QEMU's time per request: give devices.{what}.qemu in the scenario");
            if (device.Dataplane == Dataplane.Vhost && device.Vhost is null)
                throw new OptimisationException($"vhost needs the worker's time per request: give devices.{what}.vhost in the scenario");
        }
        if (s.Host.Features.Contains("ipiv") && !s.Host.Features.Contains("apicv"))
            throw new OptimisationException("ipiv posts IPIs through APICv's posted-interrupt descriptors: add apicv (kvm_intel turns enable_ipiv off without enable_apicv)");
        if (ScenarioChecks.MissingIoeventfd(s) is { } notify) throw new OptimisationException(ScenarioChecks.IoeventfdHint(notify));
        if ((names.Contains("virtio") || names.Contains("vhost") || names.Contains("multiqueue")) && s.Devices.Disk is null && s.Devices.Nic is null)
            throw new OptimisationException("virtio, vhost and multiqueue change how devices cause exits, but the scenario has no devices (add workload: and devices: sections)");
    }
}
