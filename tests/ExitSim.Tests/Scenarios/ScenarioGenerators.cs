using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Optimisations;
using ExitSim.Scenarios;
using ExitSim.Units;
using FsCheck;
using FsCheck.Fluent;

namespace ExitSim.Tests.Scenarios;

/// <summary>
/// Random valid scenarios for property tests (short runs, every feature of the schema): exits given as rates, and
/// in about half of them the workload layer too — operations, emulated or virtio devices, interrupts, memory, halt
/// polling and a list of optimisations (any order, any vendor-compatible subset of the catalog).
/// </summary>
public static class ScenarioGenerators
{
    private static Gen<Quantity> Time(int maxNs) =>
        from v in Gen.Choose(1, maxNs)
        from cycles in Gen.Elements(false, false, true)
        select cycles ? Quantity.Cycles(v * 2) : Quantity.Ns(v);

    private static Gen<Distribution> Cost(int maxNs)
    {
        var cv = Gen.Choose(1, 300).Select(v => v / 100.0);
        return Gen.OneOf(
            Time(maxNs).Select(q => (Distribution)new ConstantDistribution(q)),
            Time(maxNs).Select(q => (Distribution)new ExponentialDistribution(q)),
            Time(maxNs).Zip(cv).Select(t => (Distribution)new LogNormalDistribution(t.Item1, t.Item2)),
            Time(maxNs).Zip(cv).Select(t => (Distribution)new GammaDistribution(1 / (t.Item2 * t.Item2), t.Item1)),
            Gen.Choose(0, maxNs).Zip(Gen.Choose(0, maxNs)).Select(t => (Distribution)new UniformDistribution(Quantity.Ns(Math.Min(t.Item1, t.Item2)), Quantity.Ns(Math.Max(t.Item1, t.Item2)))),
            Gen.Choose(1, maxNs).Zip(Gen.Choose(1, maxNs)).Select(t => (Distribution)new TruncatedNormalDistribution(Quantity.Ns(t.Item1), Quantity.Ns(t.Item2))),
            Gen.NonEmptyListOf(Gen.Choose(0, maxNs).Select(v => Quantity.Ns(v))).Select(l => (Distribution)new EmpiricalDistribution(l.Take(20).ToEquatableArray())),
            Time(maxNs).Zip(Time(maxNs)).Select(t => (Distribution)new MixtureDistribution(new[]
                { new MixtureComponent(0.25, new ConstantDistribution(t.Item1)), new MixtureComponent(0.75, new ExponentialDistribution(t.Item2)) }.ToEquatableArray())));
    }

    private static Gen<Distribution?> Maybe(Gen<Distribution> g) => Gen.Frequency((1, Gen.Constant<Distribution?>(null)), (2, g.Select(d => (Distribution?)d)));

    private static readonly string[] Pool = ["IO_INSTRUCTION", "EPT_MISCONFIG", "EPT_VIOLATION", "MSR_WRITE", "EXTERNAL_INTERRUPT", "APIC_ACCESS", "HLT", "CPUID", "PAUSE_INSTRUCTION", "INTERRUPT_WINDOW"];

    private static Gen<ExitSpec> Exit(string reason) =>
        from path in Gen.Elements<ExitPath?>(null, ExitPath.Kernel, ExitPath.Userspace)
        from occ in Gen.OneOf(
            Gen.Constant<Occurrence?>(null),
            Gen.Choose(1, 200).Zip(Gen.Elements(OccurrenceClock.Guest, OccurrenceClock.Wall)).Select(t => (Occurrence?)new Occurrence { Rate = t.Item1 * 1000.0, Clock = t.Item2 }),
            Cost(200_000).Zip(Gen.Elements(OccurrenceClock.Guest, OccurrenceClock.Wall)).Select(t => (Occurrence?)new Occurrence { Interval = NoCycles(t.Item1), Clock = t.Item2 }))
        from save in Maybe(Cost(500))
        from handle in Maybe(Cost(5000))
        from emulate in Cost(20_000)
        from reenter in Maybe(Cost(500))
        let resolved = path ?? ExitReasonCatalog.Find(Vendor.Intel, reason)!.TypicalPath
        select new ExitSpec
        {
            Reason = reason, Path = path, Occurrence = occ,
            Costs = new PhaseCosts { Save = save, Handle = handle, Reenter = reenter, Emulate = resolved == ExitPath.Userspace ? emulate : null },
        };

    /// <summary>
    /// Intervals are guest or wall time (no cycles); keep their mean at 5 µs or more so that a random
    /// scenario has at most a few hundred thousand events per simulated second per vCPU.
    /// </summary>
    private static Distribution NoCycles(Distribution d) =>
        d.Format().Contains("cyc") || d.Mean(2) < 5_000 ? new ExponentialDistribution(Quantity.Ns(5_000 + d.Mean(2))) : d;

    /// <summary>A time in ns (never cycles: the workload's times are simulated time, not CPU costs).</summary>
    private static Gen<Distribution> TimeCost(int minNs, int maxNs) => Gen.OneOf(
        Gen.Choose(minNs, maxNs).Select(v => (Distribution)new ConstantDistribution(Quantity.Ns(v))),
        Gen.Choose(minNs, maxNs).Select(v => (Distribution)new ExponentialDistribution(Quantity.Ns(v))),
        Gen.Choose(minNs, maxNs).Zip(Gen.Choose(10, 200)).Select(t => (Distribution)new LogNormalDistribution(Quantity.Ns(t.Item1), t.Item2 / 100.0)),
        Gen.Choose(minNs, maxNs).Zip(Gen.Choose(30, 200)).Select(t => (Distribution)new GammaDistribution(1 / Math.Pow(t.Item2 / 100.0, 2), Quantity.Ns(t.Item1))));

    private static Gen<DeviceSpec> Disk() =>
        from model in Gen.Elements(DeviceModelKind.Ide, DeviceModelKind.Ahci, DeviceModelKind.VirtioBlk, DeviceModelKind.VirtioScsi, DeviceModelKind.Vfio)
        let virtio = DeviceModels.IsVirtio(model)
        let vfio = DeviceModels.Passthrough(model)
        from queues in virtio || vfio ? Gen.Choose(1, 4) : Gen.Constant(1)
        from depth in Gen.Elements<int?>(null, 1, 4, 64)
        from iothread in virtio ? Gen.Elements(false, true) : Gen.Constant(false)
        from qemu in vfio ? Gen.Constant<Distribution?>(null) : virtio ? Cost(20_000).Select(d => (Distribution?)d) : Maybe(Cost(20_000))
        from backend in TimeCost(5_000, 300_000)
        from channels in Gen.Choose(1, 8)
        from iothreads in model == DeviceModelKind.VirtioBlk && iothread ? Gen.Elements(1, queues) : Gen.Constant(1)
        from poll in Gen.Elements(0.0, 4_000.0, 32_768.0)
        from aio in vfio ? Gen.Constant(AioEngine.Unmodelled) : Gen.Elements(AioEngine.Unmodelled, AioEngine.Threads, AioEngine.Native, AioEngine.IoUring)
        from complete in aio == AioEngine.Unmodelled ? Gen.Constant<Distribution?>(null) : TimeCost(300, 5_000).Select(d => (Distribution?)d)
        select new DeviceSpec
        {
            Model = model, Queues = queues, Depth = depth, Dataplane = iothread ? Dataplane.Iothread : Dataplane.Qemu,
            Qemu = qemu, Backend = backend, Channels = channels, Iothreads = iothreads, PollMaxNs = poll, Aio = aio, Complete = complete,
        };

    private static Gen<DeviceSpec> Nic() =>
        from model in Gen.Elements(DeviceModelKind.E1000, DeviceModelKind.VirtioNet, DeviceModelKind.Vfio)
        let virtio = model == DeviceModelKind.VirtioNet
        let vfio = model == DeviceModelKind.Vfio
        from queues in virtio || vfio ? Gen.Choose(1, 4) : Gen.Constant(1)
        from vhost in virtio ? Gen.Elements(false, true) : Gen.Constant(false)
        from user in vhost ? Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true))) : Gen.Constant(false)
        from pmd in virtio || vfio ? Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true))) : Gen.Constant(false)
        from qemu in vfio ? Gen.Constant<Distribution?>(null) : virtio && vhost ? Maybe(Cost(10_000)) : Cost(10_000).Select(d => (Distribution?)d)
        from worker in vfio ? Gen.Constant<Distribution?>(null) : vhost ? TimeCost(300, 3_000).Select(d => (Distribution?)d) : Maybe(TimeCost(300, 3_000))
        from backend in Maybe(TimeCost(1_000, 50_000))
        from channels in Gen.Choose(1, 4)
        select new DeviceSpec
        {
            Model = model, Queues = queues,
            Dataplane = user ? Dataplane.VhostUser : vhost ? Dataplane.Vhost : Dataplane.Qemu, Qemu = qemu, Vhost = worker, Backend = backend,
            Driver = pmd ? NicDriver.Pmd : NicDriver.Kernel,
            Channels = backend is null ? 1 : channels,
        };

    private static Gen<WorkloadSpec> Workload() =>
        from closed in Gen.Elements(true, false)
        from clients in Gen.Choose(1, 16)
        from think in Gen.Frequency(
            (3, TimeCost(5_000, 500_000).Select(d => (Distribution?)d)),
            (1, Gen.Constant<Distribution?>(null)),
            (1, Gen.Constant<Distribution?>(new ConstantDistribution(Quantity.Ns(0)))))
        from rate in Gen.Choose(1, 50).Select(r => r * 1000.0)
        from compute in TimeCost(1_000, 100_000)
        from diskIo in Gen.Elements(0.0, 0.5, 1.0, 1.25, 3.0)
        from rx in Gen.Choose(0, 2)
        from tx in Gen.Choose(0, 2)
        from name in Gen.Elements("operation", "transaction", "GET /index.html")
        select new WorkloadSpec
        {
            Kind = closed ? WorkloadKind.Closed : WorkloadKind.Open,
            Clients = closed ? clients : 0,
            Think = closed ? think : null,
            Rate = closed ? 0 : rate,
            // A closed workload whose requests come over the network needs a think time.
            Operation = new OperationSpec { Name = name, Compute = compute, DiskIo = diskIo, NetRx = closed && think is null ? 0 : rx, NetTx = tx },
        };

    /// <summary>The scenario with a workload layer: the devices its operations need (or more), interrupts, maybe memory, and the
    /// exits its mechanisms need (an ioeventfd cost for virtio notifies, no rate for HLT or for first-touch faults).</summary>
    private static Gen<Scenario> WithWorkload(Scenario s) =>
        from w in Workload()
        from disk in w.Operation.DiskIo > 0 ? Disk().Select(d => (DeviceSpec?)d) : Gen.Frequency((2, Gen.Constant<DeviceSpec?>(null)), (1, Disk().Select(d => (DeviceSpec?)d)))
        from nic in w.Operation.NetRx + w.Operation.NetTx > 0 ? Nic().Select(d => (DeviceSpec?)d) : Gen.Frequency((2, Gen.Constant<DeviceSpec?>(null)), (1, Nic().Select(d => (DeviceSpec?)d)))
        from handler in TimeCost(500, 10_000)
        from wake in TimeCost(1_000, 20_000)
        from masked in Gen.Elements(0.0, 0.05, 0.3)
        from apic in Gen.Elements(ApicMode.X2apic, ApicMode.Xapic)
        from memory in Gen.Frequency((1, Gen.Constant<MemorySpec?>(null)),
            (2, from touch in Gen.Elements(0, 1, 4, 64)
                from tlb in Gen.Elements(0.0, 0.1, 0.25)
                from zero in Gen.Elements(0, 4096)
                select (MemorySpec?)new MemorySpec { TouchBytesPerSecond = touch * (double)(1 << 20), TlbOverhead = tlb, ZeroBytesPerSecond = zero * (double)(1 << 20) }))
        from haltPoll in Gen.Elements(0.0, 50_000.0, 200_000.0)
        from nohzFull in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from emulate in Cost(20_000)
        from ioeventfd in Cost(3_000)
        from optimisations in Gen.SubListOf(OptimisationCatalog.All.Where(o => o.Vendor is null or Vendor.Intel).Select(o => o.Name).ToArray())
        from order in Gen.ArrayOf(Gen.Choose(0, 1000), optimisations.Count)
        let virtio = new[] { disk, nic }.Any(d => d is not null && DeviceModels.IsVirtio(d.Model))
        let touches = memory is { TouchBytesPerSecond: > 0 }
        let exits = s.Exits
            .Select(e => e.Reason == "HLT" || (touches && e.Reason == "EPT_VIOLATION") ? e with { Occurrence = null } : e)
            .Select(e => e.Reason == "EPT_MISCONFIG" && virtio ? e with { Ioeventfd = ioeventfd } : e)
            .Concat(virtio && s.Exits.All(e => e.Reason != "EPT_MISCONFIG") ? new[] { new ExitSpec { Reason = "EPT_MISCONFIG", Ioeventfd = ioeventfd } } : [])
        select s with
        {
            // Emulated devices' register exits are emulated by QEMU: a default emulate cost covers them.
            Costs = s.Costs with { Emulate = emulate },
            Vm = s.Vm with { HaltPollNs = haltPoll, NohzFull = nohzFull && s.Vm.TimerHz > 0 },
            Workload = w,
            // A vhost-user back end's polling threads need cores of their own, with at least one left over.
            Devices = new DevicesSpec
            {
                Disk = disk,
                Nic = nic is { Dataplane: Dataplane.VhostUser } u && u.Queues * s.Vm.Count >= s.Host.Cores ? u with { Dataplane = Dataplane.Vhost } : nic,
            },
            Interrupts = new InterruptSpec { Handler = handler, Wake = wake, Masked = masked, Apic = apic },
            Memory = memory,
            Exits = exits.ToEquatableArray(),
            Optimisations = optimisations.Select((o, i) => (o, k: order[i])).OrderBy(x => x.k).Select(x => x.o).ToEquatableArray(),
        } into built
        // An "after" arm may not list what the baseline already has (the loader refuses it).
        select built with { Optimisations = built.Optimisations.Where(o => !OptimisationCatalog.Find(o)!.IsOn(built)).ToEquatableArray() };

    public static Gen<Scenario> Scenario() =>
        from rates in RatesOnly()
        from layered in Gen.Elements(false, true)
        from s in layered ? WithWorkload(rates) : Gen.Constant(rates)
        select s;

    /// <summary>Exits given only as rates (and timer ticks).</summary>
    private static Gen<Scenario> RatesOnly() =>
        from count in Gen.Choose(1, 2)
        from vcpus in Gen.Choose(1, 4)
        from mode in Gen.Elements(QemuThreadMode.PerVm, QemuThreadMode.PerVcpu)
        from timer in Gen.Elements(0.0, 100.0, 1000.0)
        from names in Gen.SubListOf(Pool).Where(l => l.Count > 0)
        from exits in Gen.CollectToSequence(names, Exit)
        from costs in Cost(800).Zip(Cost(3000)).Zip(Cost(800))
        from pageSize in Gen.Elements(4096L, 2L << 20, 1L << 30)
        from seed in Gen.Choose(0, int.MaxValue)
        from name in Gen.Elements("a", "web server", "db: prod", "x#1")
        from cores in Gen.Elements(2, 8, 64)
        from nested in Nested()
        from spin in KernelSpin()
        from timerSteps in Gen.Elements((0, 0), (300, 0), (250, 400))   // host.timer_arm, host.timer_inject
        from ipi in IpiDelivery()
        let withTimer = timer > 0 ? exits.Append(new ExitSpec { Reason = "PREEMPTION_TIMER" }).ToList() : exits.ToList()
        let withSpin = spin is null ? withTimer
            : withTimer.Where(e => e.Reason != "PAUSE_INSTRUCTION").Append(new ExitSpec { Reason = "PAUSE_INSTRUCTION" }).ToList()   // its exits come from the spins
        let fixedUp = withSpin.Any(e => e.Occurrence is not null) || timer > 0 || spin is not null
            ? withSpin
            : withSpin.Select((e, i) => i == 0 ? e with { Occurrence = new Occurrence { Rate = 50_000 } } : e).ToList()
        select new Scenario
        {
            Name = name,
            Description = name == "a" ? null : "random \"scenario\"",
            Host = new HostSpec
            {
                Vendor = Vendor.Intel, Ghz = 2.5, Cores = cores, Features = new[] { "ept" }.ToEquatableArray(), Nested = nested,
                TimerArm = Quantity.Cycles(timerSteps.Item1), TimerInject = Quantity.Cycles(timerSteps.Item2),
                IpiSend = ipi.Send, IpiNotify = ipi.Notify, IpiWake = ipi.Wake,
            },
            Costs = new PhaseCosts { Save = costs.Item1.Item1, Handle = costs.Item1.Item2, Reenter = costs.Item2 },
            Vm = new VmSpec { Count = count, Vcpus = vcpus, QemuThreads = mode, TimerHz = timer, PageSizeBytes = pageSize, Backing = MemoryBackings.Of(pageSize), MemoryBytes = 1L << 30, KernelSpin = spin },
            Exits = fixedUp.ToEquatableArray(),
            Run = new RunSpec { Duration = Quantity.Ns(2e6), Warmup = Quantity.Ns(2e5), Replications = 2, Seed = (ulong)seed },
        };

    /// <summary>host.ipi_send/ipi_notify/ipi_wake: mostly not charged; else a send in cycles or ns with its notification part (never more than the send) and a wake-up.</summary>
    private static Gen<(Quantity Send, Quantity Notify, Quantity Wake)> IpiDelivery() =>
        Gen.Frequency(
            (2, Gen.Constant((HostSpec.DefaultIpiSend, HostSpec.DefaultIpiNotify, HostSpec.DefaultIpiWake))),
            (1, from send in Gen.Choose(0, 400)
                from share in Gen.Choose(0, 100)
                from wake in Gen.Choose(0, 3000)
                from ns in Gen.Elements(false, true)
                select ns
                    ? (Quantity.Ns(send / 2.5), Quantity.Ns(send * share / 100 / 2.5), Quantity.Ns(wake / 2.5))
                    : (Quantity.Cycles(send), Quantity.Cycles(send * share / 100), Quantity.Cycles(wake))));

    /// <summary>vm.kernel_spin: mostly none; else independent spin-waits (wait) or one spinlock per VM (hold).</summary>
    private static Gen<KernelSpinSpec?> KernelSpin() =>
        Gen.Frequency(
            (3, Gen.Constant<KernelSpinSpec?>(null)),
            (1, from rate in Gen.Choose(1, 50)
                from d in TimeCost(100, 5_000)
                from hold in Gen.Elements(false, true)
                from loop in Gen.Elements<Quantity?>(null, Quantity.Cycles(10), Quantity.Cycles(140), Quantity.Ns(20))
                select (KernelSpinSpec?)(hold ? new KernelSpinSpec(rate * 1000.0, null, d, loop) : new KernelSpinSpec(rate * 1000.0, d))));

    /// <summary>host.nested: mostly not nested; else an L1 KVM with any costs and counts, or the costs stated with l1: none.</summary>
    private static Gen<NestedSpec> Nested() =>
        Gen.Frequency(
            (3, Gen.Constant(new NestedSpec())),
            (1, from l1 in Gen.Elements(NestedSpec.Kvm, NestedSpec.Kvm, NestedSpec.None)
                from shadow in Gen.Elements(true, false)
                from vmexit in Cost(3000)
                from vmentry in Cost(3000)
                from counts in Gen.Choose(0, 12).Zip(Gen.Choose(0, 6)).Zip(Gen.Choose(0, 3).Zip(Gen.Choose(0, 12)))
                from reload in Gen.Choose(0, 2)
                select new NestedSpec
                {
                    L1 = l1, ShadowVmcs = shadow, Vmexit = vmexit, Vmentry = vmentry,
                    Vmreads = counts.Item1.Item1, Vmwrites = counts.Item1.Item2, L1Exits = counts.Item2.Item1, UserspaceExits = counts.Item2.Item2,
                    VcpuReloadExits = reload,
                }));

    public static Arbitrary<Scenario> Scenarios() => Scenario().ToArbitrary();
}
