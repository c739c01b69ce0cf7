using ExitSim.Scenarios;

namespace ExitSim.Simulation;

/// <summary>
/// A scenario compiled for simulation: immutable and shared by all replications (each builds its
/// own mutable state and random streams from it).
/// </summary>
public sealed class SimulationModel
{
    public required Scenario Scenario { get; init; }
    public required ReasonModel[] Reasons { get; init; }
    /// <summary>Where exits come from: one site per reason (same index), then the sites the mechanisms add.</summary>
    public required ExitSite[] Sites { get; init; }
    /// <summary>The workload layer, or null when exits are given only as rates.</summary>
    public WorkloadModel? Workload { get; init; }
    /// <summary>A vmexit.flat test instead of a workload, or null.</summary>
    public Microbench.VmexitModel? Vmexit { get; init; }
    /// <summary>Exits caused by guest execution, each stream bound to its exit site.</summary>
    public required GuestClockStream[] GuestStreams { get; init; }
    /// <summary>Causes that arrive in wall time (timer ticks, interrupt streams), each naming the sites it fires.</summary>
    public required WallClockSource[] WallSources { get; init; }
    /// <summary>Pause-loop exiting of the guest kernel's spin-waits (<c>vm.kernel_spin</c>), or null without them.</summary>
    public Vcpus.PauseLoopParameters? PauseLoop { get; init; }
    /// <summary>The guest's TLB shootdowns (<c>vm.tlb_shootdowns</c>), or null without them.</summary>
    internal Vcpus.TlbShootdownParameters? TlbShootdowns { get; init; }
    public required int VmCount { get; init; }
    public required int VcpusPerVm { get; init; }
    public required QemuThreadMode QemuThreads { get; init; }
    public required double WarmupNs { get; init; }
    public required double DurationNs { get; init; }
    /// <summary>What the builder decided that a reader should know (e.g. costs taken from a host profile).</summary>
    public string[] Notes { get; init; } = [];

    public int VcpuCount => VmCount * VcpusPerVm;
    public int QemuThreadCount => QemuThreads == QemuThreadMode.PerVm ? VmCount : VcpuCount;
    public int QemuThreadOf(int vcpu) => QemuThreads == QemuThreadMode.PerVm ? vcpu / VcpusPerVm : vcpu;
    public int ReasonIndex(string name) => Array.FindIndex(Reasons, r => r.Name == name);
}
