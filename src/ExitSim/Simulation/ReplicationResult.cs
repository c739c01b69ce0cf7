using ExitSim.Statistics;

namespace ExitSim.Simulation;

/// <summary>What one replication measured inside its window: data only.</summary>
public sealed class ReplicationResult
{
    public required int Replication { get; init; }
    public required double WindowNs { get; init; }
    /// <summary>Per reason, in the model's reason order.</summary>
    public required ExitAccumulator[] Reasons { get; init; }
    /// <summary>Sum over all vCPUs.</summary>
    public required TimeAccount Time { get; init; }
    /// <summary>Per vCPU, for conservation checks and per-vCPU views.</summary>
    public required TimeAccount[] VcpuTime { get; init; }
    /// <summary>Busy fraction of each QEMU thread in the window.</summary>
    public required double[] QemuUtilisation { get; init; }
    /// <summary>Userspace exits served by the QEMU threads in the window, and their total wait for the thread.</summary>
    public long QemuServed { get; init; }
    public double QemuWaitNs { get; init; }
    public required long Events { get; init; }
    /// <summary>Exits started in each of <see cref="Replication.TimelineBins"/> bins from time 0 (warm-up included).</summary>
    public required long[] Timeline { get; init; }
    public required double TimelineBinNs { get; init; }
    /// <summary>The host's core-time by kind and the vCPUs' steal.</summary>
    public required HostCpuTime Host { get; init; }
    /// <summary>The workload layer's measurements, or null without a workload.</summary>
    public WorkloadResult? Workload { get; init; }
    /// <summary>What the guest's TLB shootdowns did, or null without them.</summary>
    public TlbShootdownStats? TlbShootdowns { get; init; }
    /// <summary>What the guest kernel's spinlock did (<c>vm.kernel_spin.hold</c>), or null without the lock model.</summary>
    public KernelLockStats? KernelLock { get; init; }
}
