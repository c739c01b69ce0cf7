using ExitSim.Engine;
using ExitSim.Simulation.Host;
using ExitSim.Simulation.Vcpus;

namespace ExitSim.Simulation.Idle;

/// <summary>
/// A vCPU that idles without leaving guest mode. Two ways:
/// <list type="bullet">
/// <item>Guest halt polling (cpuidle-haltpoll, <c>vm.guest_halt_poll</c>): the haltpoll governor (drivers/cpuidle/governors/haltpoll.c
/// haltpoll_select) polls while the vCPU's window (<see cref="GuestPollWindow"/>) is non-zero, unless the last poll ran out
/// its window, and then picks HLT; the tick keeps running while it polls. poll_idle (drivers/cpuidle/poll_state.c) spins
/// until need_resched or the window's end, with TIF_POLLING_NRFLAG set, so a waker only sets need_resched
/// (kernel/sched/core.c set_nr_and_not_polling): no reschedule IPI. Interrupts are enabled while it polls, so they are
/// delivered as to a running guest.</item>
/// <item>HLT not intercepted (KVM_CAP_X86_DISABLE_EXITS_HLT, <c>disable-exits</c>): the physical core halts in guest mode;
/// an interrupt wakes it after the C1 exit latency, without the host scheduler. The idle task cleared its polling flag
/// before HLT, so wakers send the IPI.</item>
/// </list>
/// Either way the host sees guest time and the guest clock stands still (no guest work runs).
/// </summary>
internal sealed class GuestIdle(Replication sim, EventQueue queue, MeasurementWindow window, WorkloadModel workload, WakeUp wakeUp)
{
    private readonly GuestPollWindow? _window = workload.GuestHaltPollNs > 0 ? new(workload.GuestHaltPollNs) : null;
    private readonly double _haltExit = wakeUp.HaltExitLatency;
    private readonly int _tickRearm = workload.SiteTickRearm;

    /// <summary>Guest polls started, and those that work ended before the window did (in the measurement window).</summary>
    public long Polls { get; private set; }
    public long PollsCaught { get; private set; }

    /// <summary>haltpoll_select: poll unless the window is 0 or the last poll ran out (then HLT, and the next idle polls again).</summary>
    public bool SelectsPoll(Vcpu v)
    {
        if (_window is null || v.Idle.GuestPollNs == 0) return false;
        if (!v.Idle.GuestPollTimedOut) return true;
        v.Idle.GuestPollTimedOut = false;
        return false;
    }

    /// <summary>The queued guest poll or in-guest HLT is reached: unless work came meanwhile, the vCPU idles in guest mode.</summary>
    public void Enter(Vcpu v, double t, double g, ExitAction how)
    {
        v.Idle.HltQueued = false;
        v.Idle.PollQueued = false;
        bool polling = how == ExitAction.GuestPoll;
        if (GuestScheduler.HasWork(v))
        {
            if (!polling && _tickRearm >= 0) v.FollowUps.Push(_tickRearm);   // leaving the idle loop restarts the tick
            sim.Resume(v, t, g);
            return;
        }
        v.Stamp++;   // voids its pending guest exit
        v.ResumeAt = double.PositiveInfinity;
        v.Idle.InGuest = polling ? GuestIdleKind.Polling : GuestIdleKind.Halted;
        v.Idle.InGuestSince = t;
        v.Idle.InGuestClock = g;
        if (!polling) return;
        if (window.Counts(t)) Polls++;
        queue.Schedule(t + v.Idle.GuestPollNs, EventKind.GuestPollEnd, v.Index, v.Stamp);
    }

    /// <summary>The poll ran out its window: back to the idle loop, which now picks HLT.</summary>
    public void OnPollEnd(Vcpu v, double t)
    {
        Close(v, t);
        v.Idle.GuestPollTimedOut = true;
        sim.Resume(v, t, v.GuestClockAtResume);
    }

    /// <summary>
    /// Something for the vCPU at <paramref name="t"/> (an interrupt, or need_resched from a waker): it leaves its idle
    /// state and is back in the guest at the returned time, its guest clock where it stopped (the caller resumes it or
    /// exits it from there). From an in-guest HLT that is after C1's exit latency, and leaving the idle loop restarts the tick.
    /// </summary>
    public double Leave(Vcpu v, double t)
    {
        bool halted = v.Idle.InGuest == GuestIdleKind.Halted;
        if (!halted && window.Counts(t)) PollsCaught++;
        double at = halted ? t + _haltExit : t;
        Close(v, at);
        if (halted)
        {
            Reflect(v, at - v.Idle.InGuestSince);
            if (_tickRearm >= 0) v.FollowUps.Push(_tickRearm);
        }
        return at;
    }

    /// <summary>The waker set need_resched on a vCPU whose idle loop polls (TIF_POLLING_NRFLAG): it runs the work at once, no IPI.</summary>
    public void NeedResched(Vcpu v, double t)
    {
        if (v.Idle.InGuest != GuestIdleKind.Polling) return;   // a queued poll sees the work when it starts
        double at = Leave(v, t);
        sim.Resume(v, at, v.GuestClockAtResume);
    }

    /// <summary>haltpoll_reflect after an HLT: the window adapts to that HLT's residency.</summary>
    public void Reflect(Vcpu v, double blockNs)
    {
        if (_window is not null) v.Idle.GuestPollNs = _window.After(v.Idle.GuestPollNs, blockNs);
    }

    /// <summary>Ends the in-guest idle at <paramref name="t"/>: its time is guest time; the vCPU is in the guest from there.</summary>
    public void Close(Vcpu v, double t)
    {
        v.Time.Guest += window.Clip(v.Idle.InGuestSince, t);
        v.Idle.InGuest = GuestIdleKind.None;
        v.ResumeAt = t;
        v.GuestClockAtResume = v.Idle.InGuestClock;
    }
}
