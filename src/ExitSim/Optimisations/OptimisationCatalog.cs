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
        new IothreadVqMapping(),
        new VhostScsi(),
        new VhostUserBlk(),
        new Multiqueue(),
        new HugePages(2L << 20),
        new HugePages(1L << 30),
        new ApicVirtualisation(Vendor.Intel),
        new ApicVirtualisation(Vendor.Amd),
        new Ipiv(),
        new PostedInterrupts(),
        new PvEoi(),
        new HaltPolling(),
        new VfioNic(),
        new VtdPostedInterrupts(),
        new VhostUser(),
        new GuestPmd(),
        new NohzFull(),
        new GuestHaltPolling(),
        new DisableExits(),
        new PostedTimer(),
        new ExitFastpathPlugin(),
        new StealTime(),
        new PvTlbFlush(),
        new PvSchedYield(),
        new PvIpi(),
        new PvSpinlock(),
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
        if (names.Contains("vhost") && names.Contains("vhost-user"))
            throw new OptimisationException("vhost and vhost-user both set the NIC's back end (vhost-net in the kernel or a polling vhost-user process): pick one");
        if (names.Contains("hugepages-2m") && names.Contains("hugepages-1g"))
            throw new OptimisationException("hugepages-2m and hugepages-1g both set the page size: pick one");
        if (DiskDataplanes.Where(names.Contains).ToArray() is { Length: > 1 } both && !(both.Length == 2 && both.Contains("iothread") && both.Contains("iothread-vq-mapping")))
            throw new OptimisationException($"{string.Join(" and ", both)} each choose who serves the disk's queues: pick one");
        var result = s;
        foreach (var name in names.Distinct()) result = Find(name)!.Apply(result);
        result = WithSortedFeatures(result);
        Check(result, names);
        return result;
    }

    /// <summary>kvm_can_post_timer_interrupt's conditions, and a housekeeping core for the hrtimer (arch/x86/kvm/lapic.c, x86.c).</summary>
    private static string? PostedTimerProblem(Scenario s)
    {
        string apicv = s.Host.Vendor == Vendor.Intel ? "apicv" : "avic";
        if (!s.Host.Features.Contains("disable-exits"))
            return "posted-timer posts the timer only to a vCPU with HLT/MWAIT passed through (kvm_can_post_timer_interrupt): add disable-exits";
        if (!s.Host.Features.Contains(apicv)) return $"posted-timer posts the timer's interrupt: add {apicv}";
        if (s.Host.TickHz > 0)
            return "posted-timer needs the vCPUs' cores nohz_full (host.tick_hz: 0): only then does the timer's hrtimer fire on a housekeeping core";
        return null;
    }

    /// <summary>Plug-ins that each set the disk's dataplane (only iothread and iothread-vq-mapping agree: both are IOThreads).</summary>
    private static readonly string[] DiskDataplanes = ["iothread", "iothread-vq-mapping", "vhost-scsi", "vhost-user-blk"];

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
            if (DeviceModels.Passthrough(device.Model) && device.Dataplane != Dataplane.Qemu)
                throw new OptimisationException($"the {what} is passed through (vfio): it has no virtqueue for {ScenarioLoader.DataplaneName(device.Dataplane)} to serve (drop one of the two)");
            if (device.Dataplane != Dataplane.Qemu && !virtio)
                throw new OptimisationException($"{ScenarioLoader.DataplaneName(device.Dataplane)} serves virtio queues but the {what} is an emulated {model} (add virtio)" + NoVhostBlk(s, what));
            if (device.Queues > 1 && DeviceModels.Emulated(device.Model))
                throw new OptimisationException($"multiqueue needs virtio devices but the {what} is an emulated {model} (add virtio)");
            if (virtio && device.Dataplane is Dataplane.Qemu or Dataplane.Iothread && device.Qemu is null)
                throw new OptimisationException($"{model} needs QEMU's time per request: give devices.{what}.qemu in the scenario");
            if (device.Dataplane is Dataplane.Vhost or Dataplane.VhostUser && device.Vhost is null)
                throw new OptimisationException($"{ScenarioLoader.DataplaneName(device.Dataplane)} needs its worker's time per {(what == "disk" ? "request" : "packet")}: give devices.{what}.vhost in the scenario");
            if (what == "disk" && device.Dataplane == Dataplane.Vhost && device.Model != DeviceModelKind.VirtioScsi)
                throw new OptimisationException($"vhost-scsi serves virtio-scsi but the disk is {model}; mainline Linux has no vhost-blk (use iothread or vhost-user-blk)");
            if (what == "disk" && DeviceSpecs.IothreadsProblem(device) is { } io) throw new OptimisationException(io);
            if (what == "disk" && DeviceSpecs.AioProblem(device) is { } aio) throw new OptimisationException(aio);
            if (device.Driver == NicDriver.Pmd && !virtio && !DeviceModels.Passthrough(device.Model))
                throw new OptimisationException($"guest-pmd (a DPDK poll-mode driver) is modelled for virtio-net and vfio NICs but the {what} is an emulated {model} (add virtio)");
        }
        if (s.Host.Features.Contains("ipiv") && !s.Host.Features.Contains("apicv"))
            throw new OptimisationException("ipiv posts IPIs through APICv's posted-interrupt descriptors: add apicv (kvm_intel turns enable_ipiv off without enable_apicv)");
        if (s.Host.Features.Contains("vtd-pi") && !s.Host.Features.Contains("apicv"))
            throw new OptimisationException("vtd-pi posts device interrupts to APICv's posted-interrupt descriptors: add apicv (KVM's pi_update_irte leaves the IRTE remapped without APICv)");
        foreach (var back in new[] { "vhost", "vhost-user" })
            if (names.Contains(back) && s.Devices.Nic is { } vf && DeviceModels.Passthrough(vf.Model))
                throw new OptimisationException($"{back} serves virtqueues but the NIC is passed through (vfio): its packets need no host thread (drop {back} or vfio-nic)");
        if ((names.Contains("vhost-user") || names.Contains("guest-pmd")) && s.Devices.Nic is null)
            throw new OptimisationException("vhost-user and guest-pmd change how packets are handled but the scenario has no NIC (add devices.nic)");
        if (ScenarioChecks.PmdCoresProblem(s) is { } pmd) throw new OptimisationException(pmd);
        if (s.Vm.NohzFull && (s.Vm.TimerHz == 0 || s.Workload is null))
            throw new OptimisationException(s.Vm.TimerHz == 0 ? "nohz-full stops the guest's tick but the guest has none (vm.timer_hz is 0)"
                : "nohz-full stops the tick while a vCPU runs one task: it needs a workload: section (with exits given as rates there are no tasks)");
        if (names.Contains("vfio-nic") && s.Devices.Nic is null)
            throw new OptimisationException("vfio-nic passes a NIC through but the scenario has no NIC (add devices.nic)");
        if (DedicatedCores.Needing(s) is { } needs && DedicatedCores.Overcommitted(s) is { } over)
            throw new OptimisationException($"{needs} is meant for vCPUs on dedicated cores, but the host is overcommitted ({over}): an idle vCPU would keep its core");
        if (DedicatedCores.NotIntercepted(s) is { } reason)
            throw new OptimisationException($"disable-exits stops intercepting {reason}, but the scenario lists {reason} exits with an occurrence (drop its rate/interval, or keep the exit intercepted)");
        if (s.Host.Features.Contains(TimerTick.PostedFeature) && PostedTimerProblem(s) is { } pt) throw new OptimisationException(pt);
        foreach (var pv in new[] { "pv-tlb-flush", "pv-sched-yield" })
            if (s.Host.Features.Contains(pv) && !s.Host.Features.Contains("steal-time"))
                throw new OptimisationException($"{pv} reads the targets' preempted flag from steal time: add steal-time (arch/x86/kernel/kvm.c uses it only with KVM_FEATURE_STEAL_TIME)");
        if (s.Host.Features.Contains("pv-spinlock") && s.Host.Features.Contains("disable-exits"))
            throw new OptimisationException(ScenarioLoader.PvSpinlockWithDisableExits);
        if (names.Contains("pv-spinlock") && ScenarioChecks.PvSpinlockProblem(s) is { } pvSpin) throw new OptimisationException(pvSpin);
        if (ScenarioChecks.MissingIoeventfd(s) is { } notify) throw new OptimisationException(ScenarioChecks.IoeventfdHint(notify));
        if ((names.Contains("virtio") || names.Contains("vhost") || names.Contains("iothread") || names.Contains("multiqueue")) && s.Devices.Disk is null && s.Devices.Nic is null)
            throw new OptimisationException("virtio, vhost, iothread and multiqueue change how devices cause exits, but the scenario has no devices (add workload: and devices: sections)");
        if (names.Contains("vhost") && s.Devices.Nic is null)
            throw new OptimisationException("vhost is vhost-net and the scenario has no NIC; mainline Linux has no vhost-blk: for the disk use iothread");
        foreach (var disk in DiskDataplanes)
            if (names.Contains(disk) && s.Devices.Disk is null)
                throw new OptimisationException($"{disk} serves a virtio disk's queues but the scenario has no disk (for the NIC use vhost)");
    }
}
