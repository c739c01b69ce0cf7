using ExitSim.Engine;
using ExitSim.Simulation.Host;
using ExitSim.Simulation.Vcpus;
using ExitSim.Statistics;

namespace ExitSim.Simulation.Idle;

/// <summary>
/// A vCPU with nothing to run executes HLT. KVM blocks it unless an interrupt is already pending
/// (kvm_vcpu_check_block); with halt polling it first spins for its own adaptive window (at most <c>vm.halt_poll</c>,
/// <see cref="HaltPollWindow"/>), and an interrupt within the window resumes it at once. Polling stops early when another thread wants the core (kvm_vcpu_can_poll:
/// single_task_running, !need_resched). Once blocked, the wake-up costs <c>interrupts.wake</c> (a trip through the
/// host scheduler) plus the exit latency of the C-state its idle core entered (<see cref="WakeUp"/>). The HLT exit's
/// latency excludes the halted time. With a ticking guest (<c>vm.timer_hz</c>) the idle loop stops the tick on the way
/// in and restarts it on the way out (NO_HZ idle): a TSC_DEADLINE write each.
/// </summary>
internal sealed class IdlePath(Replication sim, EventQueue queue, MeasurementWindow window, ExitSite[] sites, ExitStatistics stats, WorkloadModel workload, WakeUp wakeUp)
{
    // With guest halt polling the guest driver writes MSR_KVM_POLL_CONTROL = 0 for every vCPU (arch/x86/kernel/kvm.c
    // arch_haltpoll_enable), and KVM then neither polls nor retunes the window (arch/x86/kvm/x86.c kvm_arch_no_poll).
    private static bool HostPolls(WorkloadModel w) => w.GuestHaltPollNs == 0;
    private readonly HaltPollWindow? _poll = workload.HaltPollAdaptive && HostPolls(workload) ? new(workload.HaltPollNs) : null;
    private readonly double _fixedPollNs = HostPolls(workload) ? workload.HaltPollNs : 0;
    private long _attempted, _successful, _wakeups;
    private double _successNs, _failNs, _waitNs;
    private readonly KvmLogHistogram _successHist = new(), _failHist = new(), _waitHist = new();
    private readonly int _tickRearm = workload.SiteTickRearm;
    private readonly ExitAction _hlt = workload.HltInGuest ? ExitAction.HaltInGuest : ExitAction.Halt;

    /// <summary>The guest's own idle without exits: guest halt polling, HLT in guest mode.</summary>
    public GuestIdle Guest { get; } = new(sim, queue, window, workload, wakeUp);

    public long Wakes { get; private set; }
    /// <summary>Wakes caught by halt polling.</summary>
    public long PolledWakes { get; private set; }
    /// <summary>From the interrupt that wakes a halted vCPU to the guest running again.</summary>
    public LogHistogram WakeLatency { get; } = new();

    /// <summary>KVM's halt-polling statistics for the halts that ended in the measurement window.</summary>
    public HaltPollStats Stats => new()
    {
        HaltAttemptedPoll = _attempted, HaltSuccessfulPoll = _successful, HaltWakeup = _wakeups,
        HaltPollSuccessNs = _successNs, HaltPollFailNs = _failNs, HaltWaitNs = _waitNs,
        HaltPollSuccessHist = _successHist.ToArray(), HaltPollFailHist = _failHist.ToArray(), HaltWaitHist = _waitHist.ToArray(),
    };

    /// <summary>
    /// The guest has nothing to run: with guest halt polling its idle loop may poll first (keeping the tick); else it stops
    /// the tick, then executes HLT at its next entry (once).
    /// </summary>
    public void QueueHlt(Vcpu v)
    {
        if (v.Idle.HltQueued) return;
        v.Idle.HltQueued = true;
        if (Guest.SelectsPoll(v))
        {
            v.Idle.PollQueued = true;
            v.FollowUps.Push(workload.SiteHalt, ExitAction.GuestPoll);
            return;
        }
        // tick_nohz_idle_stop_tick → clockevents → lapic_next_deadline: wrmsr MSR_IA32_TSC_DEADLINE.
        if (_tickRearm >= 0) v.FollowUps.Push(_tickRearm);
        v.FollowUps.Push(workload.SiteHalt, _hlt);
    }

    /// <summary>
    /// The HLT exit: unless work arrived between queuing it and reaching it, the vCPU is on its way to blocking. A PV spinlock
    /// waiter's HLT (<paramref name="lockWait"/>: kvm_wait, arch/x86/kernel/kvm.c) halts whatever work the guest has queued.
    /// </summary>
    public void BeginHalt(Vcpu v, int site, double t, double g, double save, double handle, bool lockWait = false)
    {
        v.Idle.LockWait = lockWait;
        if (!lockWait) v.Idle.HltQueued = false;
        if (!lockWait && GuestScheduler.HasWork(v))
        {
            RestartTick(v);
            sim.Resume(v, t, g);   // the guest would not have halted
            return;
        }
        v.Idle.Halting = true;
        sim.Suspend(v, site, t, g, save, handle, ExitAction.None, 0);
        queue.Schedule(t + save + handle, EventKind.HaltReached, v.Index, v.Stamp);
    }

    /// <summary>KVM is about to block the vCPU: unless an interrupt is already pending (kvm_vcpu_check_block).</summary>
    public void OnHaltReached(Vcpu v, double t)
    {
        if (_poll is null) v.Idle.PollNs = _fixedPollNs;
        // kvm_vcpu_check_block → kvm_arch_vcpu_runnable: a pending interrupt, or pv_unhalted (a PV spinlock kick).
        if (v.PendingIrq.Count > 0 || v.Idle.PvUnhalted)
        {
            // The first check of the poll loop (or of kvm_vcpu_block) finds it runnable: a successful zero-length poll
            // if it has a window, and no retuning (the halt was not longer than the window).
            if (v.Idle.PollNs > 0 && window.Counts(t)) { _attempted++; _successful++; _successHist.Record(0); }
            FinishHalt(v, t, 0);
            return;
        }
        v.Idle.Halting = false;
        v.Idle.Halted = true;
        v.Idle.HaltStart = t;
        v.Idle.PollUntil = t + v.Idle.PollNs;
        v.Idle.AccountedTo = t;
        if (sim.Host.Contended) sim.Host.OnHalted(v, t);
    }

    /// <summary>Another thread wants the polling vCPU's core at <paramref name="t"/>: it stops polling and blocks (the poll failed).</summary>
    public void StopPolling(Vcpu v, double t)
    {
        AccountHalt(v, t);
        if (v.Idle.PollUntil > t) v.Idle.PollUntil = t;
    }

    /// <summary>
    /// KVM_HC_KICK_CPU for a PV spinlock waiter (arch/x86/kvm/x86.c kvm_pv_kick_cpu_op): it sets pv_unhalted and wakes the vCPU like
    /// an interrupt; on its way to blocking it does not block. A waiter no longer in kvm_wait (woken meanwhile) needs nothing.
    /// </summary>
    public void Kick(Vcpu v, double t)
    {
        if (!v.Idle.LockWait) return;
        if (v.Idle.Halted) Wake(v, t);
        else v.Idle.PvUnhalted = true;
    }

    /// <summary>Halted past the polling window: KVM has blocked the vCPU thread (for AVIC, no longer running).</summary>
    public bool Blocked(Vcpu v, double t) => v.Idle.Halted && t > v.Idle.PollUntil;

    /// <summary>An interrupt for a halted vCPU.</summary>
    public void Wake(Vcpu v, double t)
    {
        AccountHalt(v, t);
        bool polled = t <= v.Idle.PollUntil;
        if (window.Counts(t)) { Wakes++; if (polled) PolledWakes++; }
        // Caught while polling: straight back in. Blocked: a trip through the scheduler first, and its core's C-state exit
        // unless another thread kept the core busy (under contention: unless it does not get an idle core back).
        double wake = 0;
        if (!polled)
        {
            bool idleCore = !sim.Host.Contended || sim.Host.Claim(ref v.Core, t);
            wake = wakeUp.Latency(v.InterruptRng!, t - v.Idle.PollUntil, idleCore);
            sim.Ple?.ScheduledOut(v);   // it blocked: its sched-in resets the PLE window
            sim.Shootdowns?.Blocked(v);
        }
        v.Idle.Halted = false;
        Retune(v, t, polled, wake);
        FinishHalt(v, t, wake);
    }

    /// <summary>
    /// The end of a halt in kvm_vcpu_halt: update_halt_poll_stats if it polled, halt_wakeup and halt_wait_ns if it blocked
    /// (the wait ends once the thread runs again, after the wake-up), then the window's retuning on the whole halt.
    /// </summary>
    private void Retune(Vcpu v, double t, bool polled, double wake)
    {
        ref var idle = ref v.Idle;
        double pollEnd = Math.Min(t, idle.PollUntil), end = t + wake;
        if (window.Counts(t))
        {
            if (idle.PollNs > 0)
            {
                _attempted++;
                double pollNs = pollEnd - idle.HaltStart;
                if (polled) { _successful++; _successNs += pollNs; _successHist.Record(pollNs); }
                else { _failNs += pollNs; _failHist.Record(pollNs); }
            }
            if (!polled) { _wakeups++; _waitNs += end - pollEnd; _waitHist.Record(end - pollEnd); }
        }
        if (_poll is not null) idle.PollNs = _poll.After(idle.PollNs, end - idle.HaltStart);
    }

    /// <summary>Charges the halted time not yet accounted up to <paramref name="t"/>: polling first, then blocked.
    /// Polling the host scheduler did not let it do (descheduled) is steal.</summary>
    public void AccountHalt(Vcpu v, double t)
    {
        double pollEnd = Math.Min(t, v.Idle.PollUntil);
        double from = v.Idle.AccountedTo;
        if (v.Core.StolenUntil > from)
        {
            double stolen = Math.Min(pollEnd, v.Core.StolenUntil);
            if (stolen > from)
            {
                v.Time.Steal += window.Clip(from, stolen);
                from = stolen;
            }
        }
        v.Time.Poll += window.Clip(from, pollEnd);
        v.Time.Idle += window.Clip(Math.Max(from, pollEnd), t);
        v.Idle.AccountedTo = t;
    }

    /// <summary>The HLT exit ends: the wake-up (if it blocked) and the re-entry.</summary>
    private void FinishHalt(Vcpu v, double t, double wake)
    {
        v.Idle.Halting = false;
        ref var x = ref v.Exit;
        var site = sites[x.Site];
        double reenter = site.Reenter.Sample(v.CostRng[x.Site]) + (site.Nested?.Vmresume(v.CostRng[x.Site]) ?? 0);
        double halted = t - x.Handled;
        v.Time.Wait += window.Clip(t, t + wake);
        v.Time.Reenter += window.Clip(t + wake, t + wake + reenter);
        if (stats.Record(v.Index, x.Site, site.Reason, x.Start, x.Save, x.Handle, wake, 0, reenter, halted) && halted > 0)
            WakeLatency.Record(wake + reenter);
        if (v.Idle.LockWait)
        {
            // kvm_wait returns to the lock's wait loop: not the idle loop, so no governor to tell and no tick to restart.
            v.Idle.LockWait = v.Idle.PvUnhalted = false;
        }
        else
        {
            // haltpoll_reflect: the guest's window adapts to the HLT's residency (from HLT to running again).
            Guest.Reflect(v, t + wake + reenter - x.Start);
            RestartTick(v);
        }
        sim.Resume(v, t + wake + reenter, x.GuestClock);
        if (sim.Shootdowns is not null) TlbShootdowns.LeftHalt(v);
    }

    /// <summary>Leaving the idle loop restarts the stopped tick (tick_nohz_idle_exit → tick_nohz_restart): another TSC_DEADLINE write.</summary>
    private void RestartTick(Vcpu v)
    {
        if (_tickRearm >= 0) v.FollowUps.Push(_tickRearm);
    }
}
