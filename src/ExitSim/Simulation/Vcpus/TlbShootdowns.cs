using ExitSim.Distributions;

namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// The guest's TLB shootdowns (<c>vm.tlb_shootdowns</c>). A vCPU that changes its process's mappings sends a flush IPI
/// to the other vCPUs of its VM running that mm and busy-waits in the guest (CPL 0, no progress) until each has
/// acknowledged: arch/x86/mm/tlb.c native_flush_tlb_multi → on_each_cpu_cond_mask → smp_call_function_many_cond,
/// waiting on each target's csd lock. Idle (halted) vCPUs are in lazy TLB mode and skipped (the cond function
/// tlb_is_not_lazy). A running target acks after <see cref="TlbShootdownParameters.AckNs"/>; one in an exit when it
/// re-enters (the IPI is injected at entry); one the host descheduled only when the host runs it again — so the
/// initiator can spin for the rest of a host timeslice. The sender exits once per target (its ICR write, x2APIC
/// physical mode) unless IPIv posts them, or once in all with PV IPI (KVM_HC_SEND_IPI, arch/x86/kernel/kvm.c
/// kvm_send_ipi_mask).
/// PV TLB flush (arch/x86/kernel/kvm.c kvm_flush_tlb_multi): targets whose steal-time <c>preempted</c> flag is set are
/// not IPI'd; the guest sets KVM_VCPU_FLUSH_TLB in their steal-time area instead and KVM flushes at their next entry
/// (arch/x86/kvm/x86.c record_steal_time). PV sched yield (kvm_smp_send_call_func_ipi): after sending, the initiator
/// yields its core to the first preempted target (KVM_HC_SCHED_YIELD → kvm_sched_yield → kvm_vcpu_yield_to).
/// </summary>
internal sealed class TlbShootdowns
{
    private readonly Replication _sim;
    private readonly TlbShootdownParameters _p;
    private readonly MeasurementWindow _window;
    private readonly Vcpu[] _vcpus;
    private readonly Sampler _between;

    public TlbShootdowns(Replication sim, TlbShootdownParameters p, MeasurementWindow window, Vcpu[] vcpus, Sampler between)
    {
        _sim = sim;
        _p = p;
        _window = window;
        _vcpus = vcpus;
        _between = between;
    }

    public TlbShootdownStats Stats { get; } = new();

    /// <summary>The shootdown stream's deadline on <paramref name="v"/> at wall time <paramref name="t"/>, guest clock <paramref name="g"/>.</summary>
    public void OnShootdown(Vcpu v, double t, double g)
    {
        v.NextOccurrence[_p.Stream] = g + _between.Sample(v.OccurrenceRng[_p.Stream]);
        bool counts = _window.Counts(t);
        if (counts) Stats.Shootdowns++;
        int first = v.Index - v.Index % _p.VcpusPerVm, targets = 0, icrExits = 0;
        for (int j = first; j < first + _p.VcpusPerVm; j++)
        {
            var x = _vcpus[j];
            if (x == v || Lazy(x)) continue;
            if (_p.PvTlbFlush && Preempted(x, t))
            {
                // kvm_flush_tlb_multi: no IPI; KVM_VCPU_FLUSH_TLB in its steal-time area, done by KVM at its next entry.
                x.Shootdown.FlushAtEntry = true;
                if (counts) Stats.Skipped++;
                continue;
            }
            targets++;
            if (!_p.IcrOnlyToNotRunning || !Running(x, t)) icrExits++;
        }
        if (targets == 0)
        {
            _sim.Resume(v, t, g);   // nothing to wait for
            return;
        }
        if (counts) Stats.Ipis += targets;
        int site = _p.PvIpi ? _p.SiteHypercall : _p.SiteIcr;
        int exits = _p.PvIpi ? 1 : site < 0 ? 0 : icrExits;
        // The sends come first (one exit per target, or one hypercall); the wait starts when the last has been handled.
        for (int n = 1; n < exits; n++) v.FollowUps.Push(site);
        if (exits > 0) v.FollowUps.Push(site, ExitAction.TlbFlushSent, v.Index);
        _sim.Resume(v, t, g);
        if (exits == 0) OnSent(v, t);
    }

    /// <summary>The flush IPIs of <paramref name="v"/> are out at <paramref name="t"/>: with PV sched yield it yields to a preempted target, then it waits.</summary>
    public void OnSent(Vcpu v, double t)
    {
        if (_p.PvSchedYield && v.FollowUps.Count == 0)
        {
            int first = v.Index - v.Index % _p.VcpusPerVm;
            for (int j = first; j < first + _p.VcpusPerVm; j++)
            {
                var x = _vcpus[j];
                if (x == v || Lazy(x) || !Preempted(x, t)) continue;
                // kvm_smp_send_call_func_ipi: the first target that is not idle and preempted (vcpu_is_preempted).
                v.Shootdown.YieldTarget = j;
                v.FollowUps.Push(_p.SiteHypercall, ExitAction.SchedYield, v.Index);
                _sim.ScheduleNext(v);
                return;
            }
        }
        Wait(v, t);
    }

    /// <summary>KVM has handled <paramref name="v"/>'s KVM_HC_SCHED_YIELD at <paramref name="t"/>: its core goes to the target, then it waits.</summary>
    public void OnYield(Vcpu v, double t)
    {
        if (_sim.Host.YieldTo(v, _vcpus[v.Shootdown.YieldTarget], t) && _window.Counts(t)) Stats.Yields++;
        Wait(v, t);
    }

    /// <summary>
    /// <paramref name="v"/> busy-waits in the guest from its re-entry until its last target has acked: guest time without
    /// progress (its guest clock does not advance), so its work is pushed back by the wait.
    /// </summary>
    private void Wait(Vcpu v, double t)
    {
        if (v.FollowUps.Count > 0 || v.Suspended) return;   // something else exits first (a tick's follow-ups): not modelled, it does not wait
        int first = v.Index - v.Index % _p.VcpusPerVm;
        double until = 0;
        bool counts = _window.Counts(t);
        for (int j = first; j < first + _p.VcpusPerVm; j++)
        {
            var x = _vcpus[j];
            if (x == v || Lazy(x)) continue;
            bool preempted = Preempted(x, t);
            if (preempted && _p.PvTlbFlush && x.Shootdown.FlushAtEntry) continue;   // skipped: not waited for
            if (preempted && counts) Stats.AckedAfterPreemption++;
            until = Math.Max(until, AckAt(x, t));
        }
        if (v.Core.StolenUntil > t) v.Shootdown.AcksAt = until;   // it waits for a core first (it yielded, or was descheduled in its exits)
        else Spin(v, until);
    }

    /// <summary><paramref name="v"/>, holding a core, spins in the guest from its re-entry until <paramref name="until"/>.</summary>
    private void Spin(Vcpu v, double until)
    {
        double from = v.ResumeAt;
        if (!(until > from)) return;
        ref var s = ref v.Shootdown;
        s.SpinFrom = from;
        s.SpinUntil = until;
        double spin = _window.Clip(from, until);
        v.Time.Guest += spin;
        Stats.SpinNs += spin;
        v.ResumeAt = until;
        _sim.ScheduleNext(v);
    }

    /// <summary>When target <paramref name="x"/> acks an IPI sent at <paramref name="t"/>.</summary>
    private double AckAt(Vcpu x, double t)
    {
        if (x.Core.StolenUntil > t)   // descheduled: it runs the handler when the host runs it again
            return Math.Max(x.Core.StolenUntil, x.Suspended ? 0 : x.ResumeAt) + _p.AckNs;
        if (x.InGuest(t) || x.Shootdown.SpinUntil > t) return t + _p.AckNs;   // a spinning initiator takes IPIs too
        if (x.Suspended) return Math.Max(t, x.OnQemuUntil) + _p.AckNs;
        return x.ResumeAt + _p.AckNs;   // in an exit: injected at its entry
    }

    /// <summary>An idle vCPU is in lazy TLB mode: no IPI (tlb_is_not_lazy).</summary>
    private static bool Lazy(Vcpu x) => x.Idle.Halted || x.Idle.Halting;

    /// <summary>KVM's preempted flag: the vCPU thread was scheduled out while runnable (kvm_sched_out, kvm_steal_time_set_preempted).</summary>
    private static bool Preempted(Vcpu x, double t) => x.Core.StolenUntil > t && !x.Idle.Halted;

    private static bool Running(Vcpu x, double t) => !(x.Core.StolenUntil > t) && !x.Idle.Halted;

    /// <summary>
    /// The host took <paramref name="v"/>'s core at <paramref name="t"/>: the rest of its wait is not spent spinning but
    /// waiting for a core (steal); it resumes when it runs again and its acks are in.
    /// </summary>
    public void Descheduled(Vcpu v, double t)
    {
        ref var s = ref v.Shootdown;
        if (!(s.SpinUntil > t)) return;
        double lost = _window.Clip(Math.Max(t, s.SpinFrom), s.SpinUntil);
        v.Time.Guest -= lost;
        v.Time.Steal += lost;
        Stats.SpinNs -= lost;
        s.SpinUntil = Math.Max(t, s.SpinFrom);
        s.WaitCut = true;
    }

    /// <summary>The host runs <paramref name="v"/> again (vcpu_load → record_steal_time at entry): a deferred flush is done now.</summary>
    public void ScheduledIn(Vcpu v, double t)
    {
        ref var s = ref v.Shootdown;
        if (s.WaitCut)
        {
            // Back on a core before its acks are in: it spins again until then (this time was counted as steal).
            s.WaitCut = false;
            if (!v.Suspended && v.ResumeAt > t)
            {
                double spin = _window.Clip(t, v.ResumeAt);
                v.Time.Steal -= spin;
                v.Time.Guest += spin;
                Stats.SpinNs += spin;
                s.SpinFrom = t;
                s.SpinUntil = v.ResumeAt;
            }
        }
        if (s.AcksAt > 0)
        {
            double until = s.AcksAt;
            s.AcksAt = 0;
            if (!v.Suspended) Spin(v, until);
        }
        if (!s.FlushAtEntry) return;
        s.FlushAtEntry = false;
        if (_window.Counts(t)) Stats.FlushedAtEntry++;
    }
}
