namespace ExitSim.Simulation;

/// <summary>What the guest's TLB shootdowns did in the window (all VMs).</summary>
public sealed class TlbShootdownStats
{
    /// <summary>Shootdowns started.</summary>
    public long Shootdowns;
    /// <summary>Flush IPIs sent (targets the initiator waited for).</summary>
    public long Ipis;
    /// <summary>Targets skipped because they were preempted (PV TLB flush), to be flushed at their next entry.</summary>
    public long Skipped;
    /// <summary>Skipped targets flushed by KVM at their next entry (record_steal_time).</summary>
    public long FlushedAtEntry;
    /// <summary>Targets that acknowledged only after the host ran them again.</summary>
    public long AckedAfterPreemption;
    /// <summary>Directed yields of the sender's core to a preempted target (KVM_HC_SCHED_YIELD).</summary>
    public long Yields;
    /// <summary>PAUSE exits of waiting initiators, and those after which KVM yielded to a preempted vCPU (kvm_vcpu_on_spin).</summary>
    public long PauseExits, PleYields;
    /// <summary>AVIC: flushes sent as one shorthand broadcast, and those that exited (avic_incomplete_ipi: a target not running).</summary>
    public long Broadcasts, BroadcastExits;
    /// <summary>Initiators' guest time spent waiting for acks, ns.</summary>
    public double SpinNs;

    public void Add(TlbShootdownStats o)
    {
        Shootdowns += o.Shootdowns;
        Ipis += o.Ipis;
        Skipped += o.Skipped;
        FlushedAtEntry += o.FlushedAtEntry;
        AckedAfterPreemption += o.AckedAfterPreemption;
        Yields += o.Yields;
        PauseExits += o.PauseExits;
        PleYields += o.PleYields;
        Broadcasts += o.Broadcasts;
        BroadcastExits += o.BroadcastExits;
        SpinNs += o.SpinNs;
    }
}
