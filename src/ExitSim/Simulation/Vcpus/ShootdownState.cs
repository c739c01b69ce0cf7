namespace ExitSim.Simulation.Vcpus;

/// <summary>A vCPU's part in TLB shootdowns (see <see cref="TlbShootdowns"/>).</summary>
internal struct ShootdownState
{
    /// <summary>The initiator busy-waits in the guest over [SpinFrom, SpinUntil) for its targets' acks (no progress).</summary>
    public double SpinFrom, SpinUntil;
    /// <summary>PV TLB flush skipped it while it was preempted: KVM flushes its TLB at its next entry.</summary>
    public bool FlushAtEntry;
    /// <summary>The host descheduled it while it waited for acks: when it runs again before they are in, it spins again.</summary>
    public bool WaitCut;
    /// <summary>It is to wait for acks until then, but the host had descheduled it: the wait starts when it runs again.</summary>
    public double AcksAt;
    /// <summary>Its wait was cut by a PLE exit: the wait goes on (acks permitting) until then.</summary>
    public double PleUntil;
    /// <summary>When the last ack of its shootdown in flight comes in, as reckoned now.</summary>
    public double WaitEnd;
    /// <summary>Woken from a halt, it is still idle (lazy TLB) until it re-enters, at the latest then.</summary>
    public double IdleUntil;
    /// <summary>The preempted target its KVM_HC_SCHED_YIELD names.</summary>
    public int YieldTarget;
}
