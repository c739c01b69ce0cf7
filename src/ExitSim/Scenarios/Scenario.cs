using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Units;

namespace ExitSim.Scenarios;

/// <summary>
/// A workload scenario as written in YAML: the host, the VM, its exit reasons and how the run is
/// done. Immutable data; <see cref="ScenarioLoader"/> reads it, <see cref="ScenarioWriter"/> writes it
/// back losslessly, and <see cref="Simulation.ModelBuilder"/> turns it into a runnable model.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required HostSpec Host { get; init; }
    /// <summary>Phase costs used by every reason that does not give its own.</summary>
    public PhaseCosts Costs { get; init; } = new();
    public required VmSpec Vm { get; init; }
    public EquatableArray<ExitSpec> Exits { get; init; } = EquatableArray<ExitSpec>.Empty;
    public RunSpec Run { get; init; } = new();
    public KpiTargets Kpis { get; init; } = new();
    /// <summary>The application; null = exits are given only as rates under exits:.</summary>
    public WorkloadSpec? Workload { get; init; }
    /// <summary>A kvm-unit-tests vmexit.flat test run instead of a workload; null = none.</summary>
    public VmexitSpec? Vmexit { get; init; }
    public DevicesSpec Devices { get; init; } = new();
    public InterruptSpec Interrupts { get; init; } = new();
    public MemorySpec? Memory { get; init; }
    /// <summary>Optimisations of the "after" arm of <c>exitsim compare</c> (names from <c>exitsim list optimisations</c>).</summary>
    public EquatableArray<string> Optimisations { get; init; } = EquatableArray<string>.Empty;
    /// <summary>Where the scenario was read from (resolves relative paths); not part of its identity.</summary>
    public string? SourcePath { get; init; }

    public bool Equals(Scenario? other) =>
        other is not null && Name == other.Name && Description == other.Description && Host == other.Host &&
        Costs == other.Costs && Vm == other.Vm && Exits == other.Exits && Run == other.Run && Kpis == other.Kpis &&
        Workload == other.Workload && Vmexit == other.Vmexit && Devices == other.Devices && Interrupts == other.Interrupts && Memory == other.Memory &&
        Optimisations == other.Optimisations;

    public override int GetHashCode() => HashCode.Combine(Name, Host, Vm, Exits, Run);
}

public sealed record HostSpec
{
    public required Vendor Vendor { get; init; }
    /// <summary>Clock used to convert costs given in cycles.</summary>
    public required double Ghz { get; init; }
    public required int Cores { get; init; }
    /// <summary>The host scheduler's quantum: when more threads are runnable than cores, they share the cores in these slices.</summary>
    public double TimesliceNs { get; init; } = DefaultTimesliceNs;
    public const double DefaultTimesliceNs = 3e6;
    public EquatableArray<string> Features { get; init; } = EquatableArray<string>.Empty;
    /// <summary>
    /// The host kernel's scheduler tick on a core that runs a vCPU (CONFIG_HZ; 0 = no tick: nohz_full cores with the vCPU
    /// alone on them). Each tick that finds the vCPU in the guest exits as EXTERNAL_INTERRUPT (workload layer only).
    /// </summary>
    public double TickHz { get; init; }
    /// <summary>
    /// What an exit taken on KVM's irqs-off fastpath (feature <c>exit-fastpath</c>) saves in its handle phase: the generic
    /// exit handling and re-entry checks it skips (arch/x86/kvm/vmx/vmx.c vmx_exit_handlers_fastpath).
    /// </summary>
    public Quantity FastpathSaving { get; init; } = DefaultFastpathSaving;
    /// <summary>35-45 % of a simple exit's round trip, as the published savings were on Skylake-SP (docs/model.md "Exit fastpaths").</summary>
    public static readonly Quantity DefaultFastpathSaving = Quantity.Cycles(440);
    /// <summary>
    /// The delivery work KVM does inside the sender's ICR-write exit (kvm_apic_send_ipi down to vmx_deliver_posted_interrupt
    /// and the host's notification IPI), added to that exit's handle. Zero by default: not charged unless a scenario
    /// (or the shared parameter set) gives it.
    /// </summary>
    public Quantity IpiSend { get; init; } = DefaultIpiSend;
    public static readonly Quantity DefaultIpiSend = Quantity.Cycles(0);
    /// <summary>
    /// KVM's arming of the guest's TSC-deadline timer inside the TSC_DEADLINE write's exit (arch/x86/kvm/lapic.c
    /// kvm_set_lapic_tscdeadline_msr → restart_apic_timer → start_hv_timer → vmx_set_hv_timer, or start_sw_timer's hrtimer),
    /// added to that exit's handle on the full path and the fastpath alike. Zero by default, like <see cref="IpiSend"/>.
    /// </summary>
    public Quantity TimerArm { get; init; } = DefaultTimerArm;
    public static readonly Quantity DefaultTimerArm = Quantity.Cycles(0);
    /// <summary>
    /// KVM's injection of an expired guest timer (lapic.c apic_timer_expired → kvm_apic_inject_pending_timer_irqs →
    /// kvm_apic_local_deliver → __apic_accept_irq, with APICv the PIR/ON update synced to RVI before entry), added to the
    /// handle of the exit that finds it expired. Zero by default.
    /// </summary>
    public Quantity TimerInject { get; init; } = DefaultTimerInject;
    public static readonly Quantity DefaultTimerInject = Quantity.Cycles(0);
    /// The part of <see cref="IpiSend"/> that is the notification IPI (kvm_vcpu_trigger_posted_interrupt's
    /// __apic_send_IPI_mask), sent only to a target IN_GUEST_MODE; a target out of guest mode costs the rest. Zero: not split.
    /// </summary>
    public Quantity IpiNotify { get; init; } = DefaultIpiNotify;
    public static readonly Quantity DefaultIpiNotify = Quantity.Cycles(0);
    /// <summary>
    /// What the sender pays instead of the notification for a blocked target: kvm_vcpu_wake_up → rcuwait_wake_up →
    /// try_to_wake_up of its vCPU thread (not the woken side's latency, which is <c>interrupts.wake</c>). Zero: not charged.
    /// </summary>
    public Quantity IpiWake { get; init; } = DefaultIpiWake;
    public static readonly Quantity DefaultIpiWake = Quantity.Cycles(0);
    /// <summary>The host generation whose defaults filled what the scenario does not say (<see cref="HostDefaults"/>).</summary>
    public string Defaults { get; init; } = HostDefaults.Current.Name;
    /// <summary>The cores' idle states (<c>host.cstates</c>): the defaults' table unless the scenario names one; <see cref="ExitSim.Model.HostIdleStates.None"/>: the cores poll when idle.</summary>
    public ExitSim.Model.HostIdleStates IdleStates { get; init; } = ExitSim.Model.HostIdleStates.None;
    public string? Model { get; init; }
    /// <summary>A profile written by <c>exitsim probe</c> whose measured exit paths replace literature costs.</summary>
    public HostProfileRef? Profile { get; init; }
    /// <summary>Nested virtualisation (<c>host.nested</c>): the VM is an L2 guest of an L1 KVM; not nested by default.</summary>
    public NestedSpec Nested { get; init; } = new();
}

/// <summary>
/// The probe profile a scenario refers to: its path as written, and the medians (ns) of the measured
/// exit paths (userspace_pio, userspace_mmio, ioeventfd_pio, ioeventfd_mmio …) read from it, with
/// their means where the profile has them, and the guest's time per iteration of the probe's loop.
/// </summary>
public sealed record HostProfileRef(string File, EquatableArray<ProfilePath> Paths)
{
    public double? GuestLoopNs { get; init; }
    /// <summary>The probe saw its repetitions disagree (a loaded host).</summary>
    public bool Noisy { get; init; }
    /// <summary>The probe found the host CPU itself emulated (e.g. QEMU TCG).</summary>
    public bool EmulatedHost { get; init; }
    public ProfilePath? Path(string name) => Paths.FirstOrDefault(p => p.Name == name);
}

public sealed record ProfilePath(string Name, double MedianNs, double? MeanNs = null)
{
    /// <summary>What many exits add up to: the mean, or the median where the profile has no mean.</summary>
    public double MeanOrMedianNs => MeanNs ?? MedianNs;
}

/// <summary>The four phases of an exit; null means "not given here".</summary>
public sealed record PhaseCosts
{
    public Distribution? Save { get; init; }
    public Distribution? Handle { get; init; }
    public Distribution? Emulate { get; init; }
    public Distribution? Reenter { get; init; }
}

public enum QemuThreadMode : byte { PerVm, PerVcpu }

public sealed record VmSpec
{
    public int Count { get; init; } = 1;
    public required int Vcpus { get; init; }
    public long MemoryBytes { get; init; } = 4L << 30;
    public long PageSizeBytes { get; init; } = 4096;
    /// <summary>How guest RAM is backed on the host, which decides what a first-touch fault costs.</summary>
    public MemoryBacking Backing { get; init; } = MemoryBacking.Anonymous;
    public QemuThreadMode QemuThreads { get; init; } = QemuThreadMode.PerVm;
    /// <summary>Guest timer ticks per second per vCPU (0 = tickless); each tick is a wall-clock exit.</summary>
    public double TimerHz { get; init; }
    /// <summary>
    /// The guest kernel runs its vCPUs <c>nohz_full</c> (CONFIG_NO_HZ_FULL): a vCPU's tick stops while it runs a single task and
    /// restarts when a second one arrives (kernel/time/tick-sched.c tick_nohz_full_update_tick).
    /// </summary>
    public bool NohzFull { get; init; }
    /// <summary>KVM halt polling (halt_poll_ns): how long a halted vCPU spins before it blocks; x86 default 200 µs.</summary>
    public double HaltPollNs { get; init; } = 200_000;
    /// <summary>Each vCPU's window adapts from 0 up to <see cref="HaltPollNs"/> as KVM's does (kvm_vcpu_halt); false: always the maximum.</summary>
    public bool HaltPollAdaptive { get; init; } = true;
    /// <summary>Guest halt polling (cpuidle-haltpoll's guest_halt_poll_ns): the guest's idle loop polls up to this long before HLT; 0 = off (the driver loads only with KVM_HINTS_REALTIME or force).</summary>
    public double GuestHaltPollNs { get; init; }
    /// <summary>The guest kernel's spin-waits, which pause-loop exiting turns into PAUSE exits; null for none.</summary>
    public KernelSpinSpec? KernelSpin { get; init; }
    /// <summary>The guest's TLB shootdowns (flush IPIs and the initiator's wait for acks); null for none.</summary>
    public TlbShootdownSpec? TlbShootdowns { get; init; }
}

/// <summary>When a reason's exits happen: a rate or an interval, counted in guest time or wall time.</summary>
public sealed record Occurrence
{
    /// <summary>Exits per second of the chosen clock (Poisson); exclusive with <see cref="Interval"/>.</summary>
    public double? Rate { get; init; }
    /// <summary>Time between exits on the chosen clock.</summary>
    public Distribution? Interval { get; init; }
    public OccurrenceClock Clock { get; init; } = OccurrenceClock.Guest;
}

/// <summary>
/// Guest: the exit is caused by guest execution, so only guest time counts towards the next one.
/// Wall: an asynchronous cause (interrupt) that arrives in real time and pre-empts the guest.
/// </summary>
public enum OccurrenceClock : byte { Guest, Wall }

public sealed record ExitSpec
{
    public required string Reason { get; init; }
    /// <summary>Null for a reason listed only for its costs (e.g. the exits of timer ticks), or one taken on several <see cref="Paths"/>.</summary>
    public Occurrence? Occurrence { get; init; }
    public ExitPath? Path { get; init; }
    /// <summary>Defaults for the phases; a path of <see cref="Paths"/> may override them.</summary>
    public PhaseCosts Costs { get; init; } = new();
    /// <summary>
    /// A reason that exits on several paths, each at its own rate with its own costs (e.g. IO_INSTRUCTION
    /// to an ioeventfd-claimed notify port, handled in KVM, and to an emulated UART register, forwarded
    /// to QEMU). Empty when the reason has one path (<see cref="Path"/>, <see cref="Occurrence"/>).
    /// </summary>
    public EquatableArray<PathSpec> Paths { get; init; } = EquatableArray<PathSpec>.Empty;
    /// <summary>Handle cost when the write is claimed by an ioeventfd (a virtio notify handled in KVM, docs/kvm-facts.md §2.4).</summary>
    public Distribution? Ioeventfd { get; init; }
    /// <summary>
    /// Handle cost of an MMIO write to a coalesced region (e1000's RDT): KVM emulates it and appends it to the
    /// coalesced-MMIO ring without exiting to QEMU (virt/kvm/coalesced_mmio.c); null = the model's default.
    /// </summary>
    public Distribution? Coalesced { get; init; }
    /// <summary>Line in the scenario file, for messages about this reason found after loading.</summary>
    public int Line { get; init; }

    public bool Equals(ExitSpec? other) =>
        other is not null && Reason == other.Reason && Occurrence == other.Occurrence && Path == other.Path && Costs == other.Costs &&
        Equals(Ioeventfd, other.Ioeventfd) && Equals(Coalesced, other.Coalesced) && Paths == other.Paths;

    /// <summary>Whether exits of this reason happen on their own (a rate or interval, on one path or several).</summary>
    public bool Occurs => Occurrence is not null || Paths.Count > 0;
    public override int GetHashCode() => HashCode.Combine(Reason, Occurrence, Path, Costs);
}

/// <summary>One path of a reason taken on several: when its exits happen and what they cost there.</summary>
public sealed record PathSpec
{
    public required ExitPath Path { get; init; }
    public required Occurrence Occurrence { get; init; }
    /// <summary>This path's phases; null ones come from the reason's costs, then from costs:.</summary>
    public PhaseCosts Costs { get; init; } = new();
    /// <summary>Line in the scenario file.</summary>
    public int Line { get; init; }

    public bool Equals(PathSpec? other) => other is not null && Path == other.Path && Occurrence == other.Occurrence && Costs == other.Costs;
    public override int GetHashCode() => HashCode.Combine(Path, Occurrence, Costs);
}

public sealed record RunSpec
{
    /// <summary>Measured simulated time per replication, after the warm-up.</summary>
    public Quantity Duration { get; init; } = Quantity.Ns(1e9);
    /// <summary>Simulated time discarded before measuring.</summary>
    public Quantity Warmup { get; init; } = Quantity.Ns(1e8);
    public int Replications { get; init; } = 10;
    public ulong Seed { get; init; } = 1;
}

/// <summary>
/// The seed article's four KPI targets (docs/seed-article.md), which scenarios may change. The seed gives the
/// EPT-violation rate no denominator; ExitSim uses EPT_VIOLATION exits as a share of all exits,
/// the one reading that perf kvm stat can measure.
/// </summary>
public sealed record KpiTargets
{
    public double MaxExitsPerSecond { get; init; } = 10_000;
    public double MaxMeanExitLatencyNs { get; init; } = 1_500;
    public double MaxIoExitShare { get; init; } = 0.30;
    public double MaxEptViolationShare { get; init; } = 0.001;
}
