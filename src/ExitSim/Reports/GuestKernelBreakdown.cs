using ExitSim.Simulation;

namespace ExitSim.Reports;

/// <summary>
/// What the guest kernel's TLB shootdowns (<c>vm.tlb_shootdowns</c>) and spinlock (<c>vm.kernel_spin</c> with <c>hold</c>)
/// did, pooled over replications, rates per second per VM; null parts were not modelled.
/// </summary>
public sealed record GuestKernelSummary(ShootdownSummary? Shootdowns, KernelLockSummary? Lock);

/// <summary>
/// TLB shootdowns: how often, how many flush IPIs each sent, the initiator's mean wait for its acks, and what overcommit did to
/// them (targets acked only after the host ran them again; PV TLB flush's skips; PV sched-yield's and PLE's yields; AVIC broadcasts).
/// </summary>
public sealed record ShootdownSummary(double PerSecond, double IpisPerShootdown, double MeanWaitNs, long AckedAfterPreemption, long Skipped,
    long Yields, long PauseExits, long PleYields, long Broadcasts, long BroadcastExits);

/// <summary>
/// The kernel spinlock: acquisitions per second, the share that found it held and their mean wait, and what the host's
/// scheduling did to them (PAUSE exits, holder found preempted, directed yields; PV spinlocks' halts and kicks).
/// </summary>
public sealed record KernelLockSummary(double AcquisitionsPerSecond, double ContendedPct, double MeanContendedWaitNs, long PauseExits,
    long HolderPreempted, long PleYields, long PvHalts, long Kicks);

public static class GuestKernelBreakdown
{
    /// <param name="vmSeconds">The window × replications × VMs: per-second rates are per VM.</param>
    public static GuestKernelSummary? Of(IReadOnlyList<ReplicationResult> reps, double vmSeconds)
    {
        ShootdownSummary? sd = null;
        KernelLockSummary? lk = null;
        if (reps.Any(r => r.TlbShootdowns is not null))
        {
            var s = new TlbShootdownStats();
            foreach (var r in reps) if (r.TlbShootdowns is { } x) s.Add(x);
            sd = new ShootdownSummary(s.Shootdowns / vmSeconds, s.Shootdowns == 0 ? 0 : (double)s.Ipis / s.Shootdowns,
                s.Shootdowns == 0 ? 0 : s.SpinNs / s.Shootdowns, s.AckedAfterPreemption, s.Skipped, s.Yields, s.PauseExits, s.PleYields,
                s.Broadcasts, s.BroadcastExits);
        }
        if (reps.Any(r => r.KernelLock is not null))
        {
            var s = new KernelLockStats();
            foreach (var r in reps) if (r.KernelLock is { } x) s.Add(x);
            lk = new KernelLockSummary(s.Acquisitions / vmSeconds, s.Acquisitions == 0 ? 0 : 100.0 * s.Contended / s.Acquisitions,
                s.Contended == 0 ? 0 : s.WaitNs / s.Contended, s.PauseExits, s.HolderPreempted, s.PleYields, s.PvHalts, s.Kicks);
        }
        return sd is null && lk is null ? null : new GuestKernelSummary(sd, lk);
    }
}
