using ExitSim.Engine;
using ExitSim.Randomness;
using ExitSim.Simulation.Vcpus;

namespace ExitSim.Simulation;

/// <summary>
/// Causes that arrive in wall time on every vCPU: timer ticks and interrupt streams given as rates, one
/// <see cref="WallClockSource"/> × vCPU each. An arrival that finds the vCPU in the guest pre-empts it with an exit
/// at the source's first site, and the guest keeps its remaining work; the other sites follow at re-entry. One that
/// finds it in root mode exits right after the next entry if the source says so (<see cref="WallClockSource.ExitsAtEntry"/>:
/// Intel's preemption timer), else it is injected at that entry without an exit of its own (absorbed). A halted vCPU's
/// tick is stopped (NO_HZ idle).
/// </summary>
internal sealed class WallClock
{
    private readonly Replication _sim;
    private readonly EventQueue _queue;
    private readonly Vcpu[] _vcpus;
    private readonly WallClockSource[] _sources;
    private readonly ExitSite[] _sites;
    private readonly ExitStatistics _stats;
    private readonly RandomStream[] _rng;   // per (source, vCPU)
    private readonly ulong _seed;
    private readonly int _replication;
    private readonly bool _nohzFull;
    private readonly bool[] _tickStopped;   // per vCPU: a nohz_full guest has stopped its tick

    public WallClock(Replication sim, EventQueue queue, SimulationModel model, Vcpu[] vcpus, ExitStatistics stats, ulong seed, int replication)
    {
        _sim = sim;
        _queue = queue;
        _vcpus = vcpus;
        _sources = model.WallSources;
        _sites = model.Sites;
        _stats = stats;
        _seed = seed;
        _replication = replication;
        _nohzFull = model.Scenario.Vm.NohzFull;
        _tickStopped = new bool[vcpus.Length];
        _rng = new RandomStream[_sources.Length * vcpus.Length];
        for (int s = 0; s < _sources.Length; s++)
            for (int v = 0; v < vcpus.Length; v++)
                _rng[s * vcpus.Length + v] = RandomStream.For(seed, replication, StreamId.AsyncArrival, Replication.Key(_sources[s].StreamKey, v));
    }

    /// <summary>The first arrivals: a periodic source at a random phase of its period, a Poisson one after one interval.</summary>
    public void Start()
    {
        for (int s = 0; s < _sources.Length; s++)
        {
            var src = _sources[s];
            for (int v = 0; v < _vcpus.Length; v++)
            {
                var rng = _rng[s * _vcpus.Length + v];
                double first = src.Periodic
                    ? src.Interval.Sample(rng) * RandomStream.For(_seed, _replication, StreamId.Phase, Replication.Key(src.StreamKey, v)).NextDouble()
                    : src.Interval.Sample(rng);
                _queue.Schedule(first, EventKind.WallClock, s * _vcpus.Length + v);
            }
        }
    }

    /// <summary>
    /// A nohz_full guest (kernel/time/tick-sched.c): on a vCPU running a single task the tick that finds it so stops the tick
    /// (its handler programs the next event instead of the next tick: the chain's TSC_DEADLINE write), and later ticks do not
    /// come; once a second task is runnable the tick restarts (tick_nohz_full_kick_cpu → tick_nohz_restart_sched_tick: one
    /// more TSC_DEADLINE write, taken here with the first tick after it, up to a tick late). True when this tick does not fire.
    /// </summary>
    private bool NohzFullSkips(Vcpu v, WallClockSource src)
    {
        bool single = v.Ready.Count == 0 && v.PendingIrq.Count == 0 && v.Task != GuestTask.Handler;
        ref bool stopped = ref _tickStopped[v.Index];
        if (single)
        {
            if (stopped) return true;
            stopped = true;
            return false;
        }
        if (stopped)
        {
            stopped = false;
            if (v.FollowUps.Count < FollowUpQueue.WallClockLimit) v.FollowUps.Push(src.Sites[^1]);   // the restart's re-arm
        }
        return false;
    }

    public void OnArrival(int instance, double t)
    {
        int s = instance / _vcpus.Length;
        var src = _sources[s];
        var v = _vcpus[instance - s * _vcpus.Length];
        _queue.Schedule(t + src.Interval.Sample(_rng[instance]), EventKind.WallClock, instance);
        if (v.Idle.Halted || v.Idle.Halting || v.Idle.InGuest == Idle.GuestIdleKind.Halted)
        {
            if (src.GuestTick) _tickStopped[v.Index] = false;   // leaving idle restarts the tick (IdlePath's re-arm)
            return;
        }
        if (src.GuestTick && _nohzFull && NohzFullSkips(v, src)) return;
        // The haltpoll governor keeps the tick while the guest polls (haltpoll_select: stop_tick = false).
        if (v.Idle.InGuest == Idle.GuestIdleKind.Polling) t = _sim.Idle!.Guest.Leave(v, t);

        var sites = src.Sites;
        bool inGuest = v.InGuest(t);
        if (src.HostOnly && !inGuest) return;
        if (!inGuest && src.ExitsAtEntry && v.FollowUps.Contains(sites[0]))
        {
            // Its deadline already expired and waits for the entry: the guest has not re-armed, so no second tick.
            _stats.Absorbed(_sites[sites[0]].Reason, t);
            return;
        }
        // Past a few pending follow-ups, those of further causes are coalesced into them.
        for (int i = 1; i < sites.Length; i++)
            if (v.FollowUps.Count < FollowUpQueue.WallClockLimit) v.FollowUps.Push(sites[i]);
        if (inGuest)
        {
            double g = v.LeaveGuest(t);
            _sim.BeginExit(v, sites[0], t, g);
        }
        else if (src.ExitsAtEntry)
        {
            // The expired deadline exits right after the next entry, before the guest runs anything.
            v.FollowUps.PushFront(sites[0]);
            if (!v.Suspended) _sim.ScheduleNext(v);
        }
        else if (src.Posted)
        {
            // Injected at the next entry; the handler's re-arm exits after it.
            if (v.FollowUps.Count < FollowUpQueue.WallClockLimit) v.FollowUps.Push(sites[0]);
            if (!v.Suspended) _sim.ScheduleNext(v);
        }
        else
        {
            _stats.Absorbed(_sites[sites[0]].Reason, t);
            if (sites.Length > 1 && !v.Suspended) _sim.ScheduleNext(v);
        }
    }
}
