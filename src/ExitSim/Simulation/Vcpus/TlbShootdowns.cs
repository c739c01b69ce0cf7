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
/// kvm_send_ipi_mask). Under AVIC only a target that is not running makes its ICR write exit, and a flush to every other
/// vCPU is one shorthand broadcast (<see cref="AvicBroadcast"/>).
/// PV TLB flush (arch/x86/kernel/kvm.c kvm_flush_tlb_multi): targets whose steal-time <c>preempted</c> flag is set are
/// not IPI'd; the guest sets KVM_VCPU_FLUSH_TLB in their steal-time area instead and KVM flushes at their next entry
/// (arch/x86/kvm/x86.c record_steal_time). PV sched yield (kvm_smp_send_call_func_ipi): after sending, the initiator
/// yields its core to the first preempted target (KVM_HC_SCHED_YIELD → kvm_sched_yield → kvm_vcpu_yield_to).
/// The wait is a PAUSE loop at CPL 0, so pause-loop exiting cuts it after the vCPU's PLE window (grown ×2 per exit, reset at
/// sched-in), and KVM's handle_pause → kvm_vcpu_on_spin yields to a vCPU of the VM that was preempted in the guest kernel
/// (virt/kvm/kvm_main.c, yield_to_kernel_mode): here one preempted while it too waited for acks, which then runs and acks.
/// A target preempted in user mode is not a candidate.
/// </summary>
internal sealed class TlbShootdowns
{
    private readonly Replication _sim;
    private readonly TlbShootdownParameters _p;
    private readonly MeasurementWindow _window;
    private readonly Vcpu[] _vcpus;
    private readonly Sampler _between;
    /// <summary>Per initiator and target of its VM: when the target acks its last flush IPI.</summary>
    private readonly double[] _ackAt;
    /// <summary>Per VM: the vCPU kvm_vcpu_on_spin boosted last (kvm->last_boosted_vcpu); the next search starts after it.</summary>
    private readonly int[] _lastBoosted;

    public TlbShootdowns(Replication sim, TlbShootdownParameters p, MeasurementWindow window, Vcpu[] vcpus, Sampler between)
    {
        _sim = sim;
        _p = p;
        _window = window;
        _vcpus = vcpus;
        _between = between;
        _ackAt = new double[vcpus.Length * p.VcpusPerVm];
        _lastBoosted = new int[vcpus.Length / p.VcpusPerVm];
        for (int vm = 0; vm < _lastBoosted.Length; vm++) _lastBoosted[vm] = vm * p.VcpusPerVm;
        foreach (var v in vcpus)
            if (v.Ple.WindowNs == 0) v.Ple.WindowNs = p.PleWindowNs;   // PauseLoopExiting sets it when there are kernel spin-waits too
    }

    public TlbShootdownStats Stats { get; } = new();

    /// <summary>The shootdown stream's deadline on <paramref name="v"/> at wall time <paramref name="t"/>, guest clock <paramref name="g"/>.</summary>
    public void OnShootdown(Vcpu v, double t, double g)
    {
        v.NextOccurrence[_p.Stream] = g + _between.Sample(v.OccurrenceRng[_p.Stream]);
        bool counts = _window.Counts(t);
        if (counts) Stats.Shootdowns++;
        int first = v.Index - v.Index % _p.VcpusPerVm, row = v.Index * _p.VcpusPerVm - first, targets = 0, icrExits = 0;
        double until = 0;
        for (int j = first; j < first + _p.VcpusPerVm; j++)
        {
            var x = _vcpus[j];
            _ackAt[row + j] = 0;
            if (x == v || Lazy(x, t)) continue;
            bool preempted = x.Preempted(t);
            if (_p.PvTlbFlush && preempted)
            {
                // kvm_flush_tlb_multi: no IPI; KVM_VCPU_FLUSH_TLB in its steal-time area, done by KVM at its next entry.
                x.Shootdown.FlushAtEntry = true;
                if (counts) Stats.Skipped++;
                continue;
            }
            targets++;
            if (!_p.IcrOnlyToNotRunning || !Running(x, t)) icrExits++;
            if (preempted && counts) Stats.AckedAfterPreemption++;
            _ackAt[row + j] = AckAt(x, t);   // a target running now takes its IPI within the sends; a preempted one when it runs
            until = Math.Max(until, _ackAt[row + j]);
        }
        v.Shootdown.WaitEnd = until;
        if (targets == 0)
        {
            _sim.Resume(v, t, g);   // nothing to wait for
            return;
        }
        if (counts) Stats.Ipis += targets;
        // AVIC: every other vCPU is one shorthand ICR write (AvicBroadcast), which exits once if any target is not running.
        bool shorthand = _p.SiteBroadcast >= 0 && AvicBroadcast.Shorthand(targets, _p.VcpusPerVm);
        int site = shorthand ? _p.SiteBroadcast : _p.PvIpi ? _p.SiteHypercall : _p.SiteIcr;
        int exits = shorthand ? Math.Min(icrExits, 1) : _p.PvIpi ? 1 : site < 0 ? 0 : icrExits;
        if (shorthand && counts)
        {
            Stats.Broadcasts++;
            Stats.BroadcastExits += exits;
        }
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
                if (x == v || Lazy(x, t) || !x.Preempted(t)) continue;
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
        // The target runs now and takes the IPI (ScheduledIn brings its ack forward).
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
        WaitUntil(v, t, v.Shootdown.WaitEnd);
    }

    /// <summary>The latest ack <paramref name="v"/> waits for (its targets' acks as they stand).</summary>
    private double LastAck(Vcpu v)
    {
        int first = v.Index - v.Index % _p.VcpusPerVm, row = v.Index * _p.VcpusPerVm - first;
        double until = 0;
        for (int k = first; k < first + _p.VcpusPerVm; k++) until = Math.Max(until, _ackAt[row + k]);
        return until;
    }

    private void WaitUntil(Vcpu v, double t, double until)
    {
        if (v.Core.StolenUntil > t) v.Shootdown.AcksAt = until;   // it waits for a core first (it yielded, or was descheduled)
        else Spin(v, until);
    }

    /// <summary>
    /// A PAUSE exit cut <paramref name="v"/>'s wait (handled at <paramref name="t"/>): handle_pause grows the window and
    /// kvm_vcpu_on_spin yields to a vCPU of the VM preempted in the guest kernel, if there is one; then the wait goes on.
    /// </summary>
    public void OnPauseExit(Vcpu v, double t)
    {
        ref var s = ref v.Shootdown;
        s.PleUntil = 0;
        v.Ple.Grow(_p.PleMaxWindowNs);
        int vm = v.Index / _p.VcpusPerVm, first = vm * _p.VcpusPerVm;
        for (int n = 1; n <= _p.VcpusPerVm; n++)
        {
            int j = first + (_lastBoosted[vm] - first + n) % _p.VcpusPerVm;
            var x = _vcpus[j];
            if (x == v || !x.Preempted(t) || !(x.Shootdown.WaitCut || x.Shootdown.AcksAt > 0)) continue;
            if (!_sim.Host.YieldTo(v, x, t)) break;
            _lastBoosted[vm] = j;
            if (_window.Counts(t)) Stats.PleYields++;   // it runs now and takes the IPI (it waits with interrupts on): ScheduledIn acks
            break;
        }
        WaitUntil(v, t, s.WaitEnd);
    }

    /// <summary>
    /// <paramref name="v"/>, holding a core, spins in the guest from its re-entry until <paramref name="until"/>, or until its
    /// PLE window runs out first: then a PAUSE exit (<see cref="OnPauseExit"/>).
    /// </summary>
    private void Spin(Vcpu v, double until)
    {
        double from = v.ResumeAt;
        if (!(until > from)) return;
        ref var s = ref v.Shootdown;
        double end = until;
        if (until - from > v.Ple.WindowNs)
        {
            end = from + v.Ple.WindowNs;
            s.PleUntil = until;
            v.FollowUps.Push(_p.SitePause, ExitAction.SpinPle, v.Index);
            if (_window.Counts(end)) Stats.PauseExits++;
        }
        s.SpinFrom = from;
        s.SpinUntil = end;
        double spin = _window.Clip(from, end);
        v.Time.Guest += spin;
        Stats.SpinNs += spin;
        v.ResumeAt = end;
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

    /// <summary>An idle vCPU is in lazy TLB mode: no IPI (tlb_is_not_lazy). It stays idle until it is back in the guest after its
    /// HLT (woken, its thread may still be on the way: a C-state exit, a wait for a core).</summary>
    private static bool Lazy(Vcpu x, double t) => x.Idle.Halted || x.Idle.Halting || (t < x.Shootdown.IdleUntil && t < x.ResumeAt);

    /// <summary>The vCPU's halt is over; it is back in the guest (out of the idle loop) at its re-entry.</summary>
    public static void LeftHalt(Vcpu v) => v.Shootdown.IdleUntil = v.ResumeAt;

    /// <summary>The vCPU blocked in a halt: its sched-in resets the PLE window (PauseLoopExiting does it when present).</summary>
    public void Blocked(Vcpu v)
    {
        if (_sim.Ple is null) v.Ple.WindowNs = _p.PleWindowNs;
    }

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
        if (_sim.Ple is null) v.Ple.WindowNs = _p.PleWindowNs;   // its sched-in resets the PLE window (PauseLoopExiting does it when present)
    }

    /// <summary>The host runs <paramref name="v"/> again (vcpu_load → record_steal_time at entry): a deferred flush is done now.</summary>
    public void ScheduledIn(Vcpu v, double t)
    {
        ref var s = ref v.Shootdown;
        if (s.WaitCut)
        {
            // Back on a core before its acks are in: it spins again until then (this time was counted as steal).
            s.WaitCut = false;
            if (!v.Suspended && v.ResumeAt > t && v.FollowUps.Count == 0)
            {
                double until = v.ResumeAt;
                v.Time.Steal -= _window.Clip(t, until);
                v.ResumeAt = t;
                Spin(v, until);
            }
        }
        if (s.AcksAt > 0)
        {
            double until = s.AcksAt;
            s.AcksAt = 0;
            if (!v.Suspended) Spin(v, until);
        }
        Acks(v, t);
        if (!s.FlushAtEntry) return;
        s.FlushAtEntry = false;
        if (_window.Counts(t)) Stats.FlushedAtEntry++;
    }

    /// <summary>
    /// <paramref name="x"/> runs again at <paramref name="t"/>: the flush IPIs it was sent while descheduled are handled now,
    /// so initiators of its VM waiting for it get its ack sooner than they reckoned (a core may free up before the quantum ends).
    /// </summary>
    private void Acks(Vcpu x, double t)
    {
        int first = x.Index - x.Index % _p.VcpusPerVm;
        double ack = t + _p.AckNs;
        for (int i = first; i < first + _p.VcpusPerVm; i++)
        {
            var v = _vcpus[i];
            ref var s = ref v.Shootdown;
            int cell = i * _p.VcpusPerVm - first + x.Index;
            if (v == x || !(s.WaitEnd > ack) || !(_ackAt[cell] > ack)) continue;
            _ackAt[cell] = ack;
            double until = LastAck(v);
            s.WaitEnd = until;
            if (s.AcksAt > 0) s.AcksAt = until;
            else if (s.PleUntil > 0) s.PleUntil = until;
            else if (!s.WaitCut && s.SpinUntil > t && v.ResumeAt == s.SpinUntil && v.FollowUps.Count == 0 && until < s.SpinUntil)
            {
                // It is spinning now: its wait ends sooner.
                double end = Math.Max(t, until), saved = _window.Clip(end, s.SpinUntil);
                v.Time.Guest -= saved;
                Stats.SpinNs -= saved;
                s.SpinUntil = end;
                v.ResumeAt = end;
                _sim.ScheduleNext(v);
            }
        }
    }
}
