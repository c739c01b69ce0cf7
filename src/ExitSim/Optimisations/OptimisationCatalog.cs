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
        new Iothread(),
        new Multiqueue(),
        new HugePages(2L << 20),
        new HugePages(1L << 30),
        new ApicVirtualisation(Vendor.Intel),
        new ApicVirtualisation(Vendor.Amd),
        new Ipiv(),
        new PostedInterrupts(),
        new PvEoi(),
        new HaltPolling(),
        new StealTime(),
        new PvTlbFlush(),
        new PvSchedYield(),
        new PvIpi(),
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
    /// Why enabling <paramref name="name"/> on <paramref name="s"/> measures nothing (the baseline already has it,
    /// from its host defaults or its own settings), or null. <c>compare</c> refuses such an "after" arm.
    /// </summary>
    public static string? AlreadyOn(Scenario s, string name)
    {
        if (Find(name) is not { } o || !o.IsOn(s)) return null;
        return $"'{name}' is already on in the baseline (host.defaults {s.Host.Defaults}, or the scenario's own settings), so enabling it changes nothing " +
               "(to measure it, switch it off in the scenario's \"before\" arm; see docs/scenarios.md, Host defaults)";
    }

    /// <summary>
    /// Applies the named optimisations in the order given. Each edits its own part of the scenario, so the order
    /// does not matter (a property test checks it); combinations that cannot work (vhost or iothread on an emulated device, vhost without a NIC,
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
        result = WithSortedFeatures(result);
        Check(result, names);
        return result;
    }

    /// <summary>When vhost is refused on an emulated NIC next to a virtio disk, the disk's option is iothread (no vhost-blk upstream).</summary>
    private static string NoVhostBlk(Scenario s, string what) =>
        what == "nic" && s.Devices.Disk is { } d && DeviceModels.IsVirtio(d.Model) ? $"; mainline Linux has no vhost-blk: for the {DeviceModels.Name(d.Model)} disk use iothread" : "";

    /// <summary>The scenario with its host features in ordinal order, so sets of plug-ins compare equal whatever their order.</summary>
    internal static Scenario WithSortedFeatures(Scenario s) =>
        s with { Host = s.Host with { Features = s.Host.Features.OrderBy(f => f, StringComparer.Ordinal).ToEquatableArray() } };

    private static void Check(Scenario s, IReadOnlyCollection<string> names)
    {
        foreach (var (device, what) in new[] { (s.Devices.Disk, "disk"), (s.Devices.Nic, "nic") })
        {
            if (device is null) continue;
            bool virtio = DeviceModels.IsVirtio(device.Model);
            string model = DeviceModels.Name(device.Model);
            if (device.Dataplane != Dataplane.Qemu && !virtio)
                throw new OptimisationException($"{ScenarioLoader.DataplaneName(device.Dataplane)} serves virtio queues but the {what} is an emulated {model} (add virtio)" + NoVhostBlk(s, what));
            if (device.Queues > 1 && !virtio)
                throw new OptimisationException($"multiqueue needs virtio devices but the {what} is an emulated {model} (add virtio)");
            if (virtio && device.Dataplane != Dataplane.Vhost && device.Qemu is null)
                throw new OptimisationException($"{model} needs QEMU's time per request: give devices.{what}.qemu in the scenario");
            if (device.Dataplane == Dataplane.Vhost && device.Vhost is null)
                throw new OptimisationException($"vhost needs the vhost-net worker's time per packet: give devices.{what}.vhost in the scenario");
        }
        if (s.Host.Features.Contains("ipiv") && !s.Host.Features.Contains("apicv"))
            throw new OptimisationException("ipiv posts IPIs through APICv's posted-interrupt descriptors: add apicv (kvm_intel turns enable_ipiv off without enable_apicv)");
        foreach (var pv in new[] { "pv-tlb-flush", "pv-sched-yield" })
            if (s.Host.Features.Contains(pv) && !s.Host.Features.Contains("steal-time"))
                throw new OptimisationException($"{pv} reads the targets' preempted flag from steal time: add steal-time (arch/x86/kernel/kvm.c uses it only with KVM_FEATURE_STEAL_TIME)");
        if (ScenarioChecks.MissingIoeventfd(s) is { } notify) throw new OptimisationException(ScenarioChecks.IoeventfdHint(notify));
        if ((names.Contains("virtio") || names.Contains("vhost") || names.Contains("iothread") || names.Contains("multiqueue")) && s.Devices.Disk is null && s.Devices.Nic is null)
            throw new OptimisationException("virtio, vhost, iothread and multiqueue change how devices cause exits, but the scenario has no devices (add workload: and devices: sections)");
        if (names.Contains("vhost") && s.Devices.Nic is null)
            throw new OptimisationException("vhost is vhost-net and the scenario has no NIC; mainline Linux has no vhost-blk: for the disk use iothread");
        if (names.Contains("iothread") && s.Devices.Disk is null)
            throw new OptimisationException("iothread runs a virtio disk's queues but the scenario has no disk (for the NIC use vhost)");
    }
}
