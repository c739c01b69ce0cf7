using System.Runtime.CompilerServices;
using ExitSim.Distributions;
using ExitSim.Engine;
using ExitSim.Model;
using ExitSim.Randomness;
using ExitSim.Statistics;

namespace ExitSim.Simulation;

/// <summary>
/// One replication: the event loop and the vCPU exit model. Three kinds of event drive it:
/// a guest-caused exit (scheduled when the guest resumes, from the vCPU's guest clock), the
/// arrival of a userspace exit at its QEMU thread, and a wall-clock cause (timer tick,
/// interrupt) that pre-empts the guest. Phases that need no other entity (save, handle and
/// reenter of a kernel exit; the emulation of a QEMU thread with a single client) are drawn
/// together at the exit instead of being separate events.
/// </summary>
public sealed partial class Replication
{
    private const int GuestExitEvent = 0, QemuArrivalEvent = 1, WallEvent = 2, OpArrivalEvent = 3, FrontendDoneEvent = 4,
        BackendDoneEvent = 5, ActionEvent = 6, HaltEvent = 7, OpenArrivalEvent = 8;
    /// <summary>What happens once KVM or QEMU has handled a chained exit.</summary>
    private const int NoAction = 0, ToBackendAction = 1, KickAction = 2, IpiAction = 3, HaltAction = 4;

    private readonly int _replication;
    private readonly EventQueue _queue = new();
    private readonly VcpuState[] _vcpus;
    private readonly HostThread[] _qemus;
    private readonly ReasonModel[] _reasons;
    private readonly ExitSite[] _sites;
    private readonly int[] _guestReasons;
    private readonly Sampler[] _guestInterval;   // per guest-caused reason, by position in _guestReasons
    private readonly ExitAccumulator[] _acc;
    private readonly WallSource[] _wallSources;
    private readonly RandomStream[] _wallRng;   // per (source, vCPU)
    private readonly double _w0, _w1;
    private readonly ulong _seed;
    private readonly IExitSink? _sink;
    private readonly long[] _timeline = new long[TimelineBins];
    private readonly double _binsPerNs;
    private long _events;

    /// <summary>Exits are also counted in this many equal bins over warm-up + window (exits over time).</summary>
    public const int TimelineBins = 200;

    public Replication(SimulationModel model, ulong seed, int replication, IExitSink? sink = null)
    {
        _sink = sink;
        _seed = seed;
        _replication = replication;
        _reasons = model.Reasons;
        _sites = model.Sites;
        _guestReasons = model.GuestReasons;
        _guestInterval = model.GuestReasons.Select(r => model.Reasons[r].GuestInterval!.Value).ToArray();
        _wallSources = model.WallSources;
        _w0 = model.WarmupNs;
        _w1 = model.WarmupNs + model.DurationNs;
        _binsPerNs = TimelineBins / _w1;
        _acc = _reasons.Select(_ => new ExitAccumulator()).ToArray();
        _qemus = Enumerable.Range(0, model.QemuThreadCount).Select(_ => new HostThread()).ToArray();
        _vcpus = new VcpuState[model.VcpuCount];
        for (int v = 0; v < _vcpus.Length; v++)
        {
            int q = model.QemuThreadOf(v);
            _qemus[q].Clients++;
            _vcpus[v] = new VcpuState
            {
                Index = v,
                Qemu = q,
                NextGuestExit = new double[_guestReasons.Length],
                OccurrenceRng = _guestReasons.Select(r => RandomStream.For(seed, replication, StreamId.ExitOccurrence, Key(_reasons[r].Code, v))).ToArray(),
                CostRng = _sites.Select(x => RandomStream.For(seed, replication, StreamId.ExitCost, Key(x.StreamKey, v))).ToArray(),
                EmulationRng = RandomStream.For(seed, replication, StreamId.Emulation, v),
            };
        }
        _wallRng = new RandomStream[_wallSources.Length * _vcpus.Length];
        for (int s = 0; s < _wallSources.Length; s++)
            for (int v = 0; v < _vcpus.Length; v++)
                _wallRng[s * _vcpus.Length + v] = RandomStream.For(seed, replication, StreamId.AsyncArrival, Key(_wallSources[s].StreamKey, v));
        _workload = model.Workload;
        if (_workload is not null) BuildWorkload(model);
        BuildHost(model);
    }

    /// <summary>Stream index for (key, vCPU): stable when other reasons or sources come and go.</summary>
    private static int Key(int key, int vcpu) => (key << 16) | vcpu;

    /// <summary>Runs to the end of the window; <paramref name="progress"/> gets the fraction of simulated time done.</summary>
    public ReplicationResult Run(CancellationToken cancel = default, Action<double>? progress = null)
    {
        if (_workload is not null) StartWorkload();
        foreach (var v in _vcpus)
        {
            for (int k = 0; k < _guestReasons.Length; k++)
                v.NextGuestExit[k] = _guestInterval[k].Sample(v.OccurrenceRng[k]);
            Resume(v, 0, 0);
        }
        if (_contended) _queue.Schedule(0, QuantumEvent, 0);
        for (int s = 0; s < _wallSources.Length; s++)
        {
            var src = _wallSources[s];
            for (int v = 0; v < _vcpus.Length; v++)
            {
                var rng = _wallRng[s * _vcpus.Length + v];
                double first = src.Periodic
                    ? src.Interval.Sample(rng) * RandomStream.For(_seed, _replication, StreamId.Phase, Key(src.StreamKey, v)).NextDouble()
                    : src.Interval.Sample(rng);
                _queue.Schedule(first, WallEvent, s * _vcpus.Length + v);
            }
        }

        while (_queue.Count > 0)
        {
            ref readonly Event top = ref _queue.Peek();
            if (top.Time >= _w1) break;
            var e = _queue.Take();
            if ((++_events & 0xFFFF) == 0)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Invoke(e.Time / _w1);
            }
            switch (e.Kind)
            {
                case GuestExitEvent:
                {
                    var v = _vcpus[e.Target];
                    if (e.Stamp == v.Stamp) OnGuestExit(v, e.Time);
                    break;
                }
                case QemuArrivalEvent:
                    OnQemuArrival(_vcpus[e.Target], e.Time);
                    break;
                case WallEvent:
                    OnWall(e.Target, e.Time);
                    break;
                case QuantumEvent:
                case BlockEvent:
                case ThreadIdleEvent:
                case QemuDoneEvent:
                case PreemptEvent:
                    OnHostEvent(e);
                    break;
                default:
                    OnWorkloadEvent(e);
                    break;
            }
        }
        return Finish();
    }

    private void OnGuestExit(VcpuState v, double t)
    {
        System.Diagnostics.Debug.Assert(t >= v.ResumeAt, "a guest exit while the vCPU is not in the guest");
        double g = LeaveGuest(v, t);
        if (v.ScheduledGuestReason >= 0)
        {
            int k = v.ScheduledGuestReason;
            v.NextGuestExit[k] = g + _guestInterval[k].Sample(v.OccurrenceRng[k]);
            BeginExit(v, _guestReasons[k], t, g);
        }
        else if (v.ScheduledGuestReason == VcpuState.NextFromChain)
        {
            int site = v.ChainSite.Dequeue(), action = v.ChainAction.Dequeue(), arg = v.ChainArg.Dequeue();
            BeginExit(v, site, t, g, action, arg);
        }
        else
        {
            // The guest's task reached the end of its segment: no exit, the guest carries on.
            OnTaskEnd(v, t, g);
            Resume(v, t, g);
        }
    }

    /// <summary>Accounts the guest interval ending at t and returns the vCPU's guest clock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double LeaveGuest(VcpuState v, double t)
    {
        v.Time.Guest += Clip(v.ResumeAt, t);
        return v.GuestClockAtResume + (t - v.ResumeAt);
    }

    private void BeginExit(VcpuState v, int site, double t, double guestClock, int action = NoAction, int arg = 0)
    {
        var r = _sites[site];
        int reason = r.Reason;
        var rng = v.CostRng[site];
        double save = r.Save.Sample(rng), handle = r.Handle.Sample(rng) + r.HandleExtraNs;
        if (action == HaltAction)
        {
            BeginHalt(v, site, t, guestClock, save, handle);
            return;
        }
        if (r.Path == ExitPath.Kernel)
        {
            double reenter = r.Reenter.Sample(rng);
            double t1 = t + save, t2 = t1 + handle, end = t2 + reenter;
            var time = v.Time;
            if (t >= _w0 && end <= _w1)
            {
                // Wholly inside the window (nearly every exit): no clipping needed.
                time.Save += save;
                time.Handle += handle;
                time.Reenter += reenter;
            }
            else
            {
                time.Save += Clip(t, t1);
                time.Handle += Clip(t1, t2);
                time.Reenter += Clip(t2, end);
            }
            if (t >= _w0) _acc[reason].Record(save, handle, 0, 0, reenter);
            _timeline[(int)(t * _binsPerNs)]++;
            _sink?.OnExit(new ExitRecord(v.Index, reason, t, save, handle, 0, 0, reenter));
            if (action != NoAction) _queue.Schedule(t2, ActionEvent, action, arg);
            Resume(v, end, guestClock);
            return;
        }
        Suspend(v, site, t, guestClock, save, handle, action, arg);   // out until QEMU is done
        double arrival = t + save + handle;
        // Nobody to queue behind (no device work on it either), unless the thread must wait for a core at the arrival.
        if (_qemus[v.Qemu].Clients == 1 && !_contended) OnQemuArrival(v, arrival);
        else _queue.Schedule(arrival, QemuArrivalEvent, v.Index);
    }

    private void OnQemuArrival(VcpuState v, double a)
    {
        var q = _qemus[v.Qemu];
        int site = v.PendingSite, reason = _sites[site].Reason;
        var r = _sites[site];
        if (_contended)
        {
            // The vCPU thread sleeps until QEMU is done: its core is free for QEMU, and whether it waits for one
            // to re-enter is decided when QEMU is done (OnQemuDone), not by a deschedule before it slept.
            Release(ref v.RunQuantum, a);
            if (v.StolenUntil > a) v.StolenUntil = a;
        }
        double start = StartOn(q, a);
        double emulate = r.Emulate.Sample(v.EmulationRng);
        double end = start + emulate;
        if (_contended) OnQemuHandoff(v, end);
        double reenter = r.Reenter.Sample(v.CostRng[site]);
        q.BusyUntil = end;
        q.Busy += Clip(start, end);
        AfterJob(q, end);
        var time = v.Time;
        time.Wait += Clip(a, start);
        time.Emulate += Clip(start, end);
        time.Reenter += Clip(end, end + reenter);
        if (v.PendingStart >= _w0)
        {
            _acc[reason].Record(v.PendingSave, v.PendingHandle, start - a, emulate, reenter);
            _acc[reason].Userspace++;
            q.Served++;
            q.WaitSum += start - a;
        }
        _timeline[(int)(v.PendingStart * _binsPerNs)]++;
        _sink?.OnExit(new ExitRecord(v.Index, reason, v.PendingStart, v.PendingSave, v.PendingHandle, start - a, emulate, reenter));
        if (v.PendingAction != NoAction) _queue.Schedule(end, ActionEvent, v.PendingAction, v.PendingArg);
        Resume(v, end + reenter, v.PendingGuestClock);
    }

    /// <summary>
    /// An exit whose end is not known yet (it waits for QEMU, or it halts): the vCPU is out of the guest
    /// until further notice, any pending guest exit is void, and its save and handle are accounted.
    /// </summary>
    private void Suspend(VcpuState v, int site, double t, double guestClock, double save, double handle, int action, int arg)
    {
        v.Stamp++;
        v.PendingSite = site;
        v.PendingAction = action;
        v.PendingArg = arg;
        v.PendingStart = t;
        v.PendingSave = save;
        v.PendingHandle = handle;
        v.PendingGuestClock = guestClock;
        v.ResumeAt = double.PositiveInfinity;
        v.Time.Save += Clip(t, t + save);
        v.Time.Handle += Clip(t + save, t + save + handle);
    }

    /// <summary>The guest resumes at <paramref name="at"/>; schedule the vCPU's next exit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Resume(VcpuState v, double at, double guestClock)
    {
        if (at < v.StolenUntil)
        {
            // The host gave the vCPU's core to another thread: it enters when the quantum ends.
            v.Time.Steal += Clip(at, v.StolenUntil);
            v.DeferredFrom = at;
            at = v.StolenUntil;
        }
        v.ResumeAt = at;
        v.GuestClockAtResume = guestClock;
        if (_workload is not null) Dispatch(v, guestClock);
        ScheduleNext(v);
    }

    private void ScheduleNext(VcpuState v)
    {
        v.Stamp++;
        if (v.ChainSite.Count > 0)
        {
            v.ScheduledGuestReason = VcpuState.NextFromChain;
            _queue.Schedule(v.ResumeAt, GuestExitEvent, v.Index, v.Stamp);
            return;
        }
        var next = v.NextGuestExit;
        int best = -1;
        double at = double.PositiveInfinity;
        for (int k = 0; k < next.Length; k++)
            if (next[k] < at || best < 0) { best = k; at = next[k]; }
        if (v.TaskEnd < at) { best = VcpuState.NextIsTaskEnd; at = v.TaskEnd; }
        if (double.IsPositiveInfinity(at) && best < 0) return;
        v.ScheduledGuestReason = best;
        // Reasons due at the same guest instant (constant intervals with a common multiple) leave the
        // second one a rounding error in the past: it exits on re-entry, not before it.
        _queue.Schedule(v.ResumeAt + Math.Max(0, at - v.GuestClockAtResume), GuestExitEvent, v.Index, v.Stamp);
    }

    private void OnWall(int instance, double t)
    {
        int s = instance / _vcpus.Length;
        var src = _wallSources[s];
        var v = _vcpus[instance - s * _vcpus.Length];
        _queue.Schedule(t + src.Interval.Sample(_wallRng[instance]), WallEvent, instance);
        if (v.Halted || v.Halting) return;   // a halted vCPU's tick is stopped (NO_HZ idle)

        var chain = src.Chain;
        for (int i = 1; i < chain.Length; i++) PushFollowUp(v, chain[i]);
        if (t >= v.ResumeAt)
        {
            // In the guest: the cause pre-empts it; the guest keeps its remaining work.
            double g = LeaveGuest(v, t);
            BeginExit(v, chain[0], t, g);
        }
        else
        {
            // Already in root mode: KVM injects at the next entry, no exit of its own.
            if (t >= _w0) _acc[chain[0]].Absorbed++;
            if (chain.Length > 1 && !double.IsPositiveInfinity(v.ResumeAt)) ScheduleNext(v);
        }
    }

    /// <summary>A follow-up of a wall-clock cause; past eight pending ones, more are coalesced into those.</summary>
    private static void PushFollowUp(VcpuState v, int site)
    {
        if (v.ChainSite.Count >= 8) return;
        PushChain(v, site);
    }

    private static void PushChain(VcpuState v, int site, int action = NoAction, int arg = 0)
    {
        v.ChainSite.Enqueue(site);
        v.ChainAction.Enqueue(action);
        v.ChainArg.Enqueue(arg);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Clip(double a, double b)
    {
        double lo = a > _w0 ? a : _w0, hi = b < _w1 ? b : _w1;
        return hi > lo ? hi - lo : 0;
    }

    private ReplicationResult Finish()
    {
        var total = new TimeAccount();
        foreach (var v in _vcpus)
        {
            if (v.Halted)
            {
                AccountHalt(v, _w1);
                double blocked = v.PendingStart + v.PendingSave + v.PendingHandle;
                _sink?.OnUnfinishedExit(new ExitRecord(v.Index, _sites[v.PendingSite].Reason, v.PendingStart, v.PendingSave, v.PendingHandle, 0, 0, 0, _w1 - blocked));
            }
            else if (double.IsPositiveInfinity(v.ResumeAt))   // on its way to the QEMU thread, or to blocking
                _sink?.OnUnfinishedExit(new ExitRecord(v.Index, _sites[v.PendingSite].Reason, v.PendingStart, v.PendingSave, v.PendingHandle, 0, 0, 0));
            if (v.ResumeAt < _w1) v.Time.Guest += Clip(v.ResumeAt, _w1);
            total.Add(v.Time);
        }
        double window = _w1 - _w0;
        return new ReplicationResult
        {
            Host = HostTime(total, window),
            Replication = _replication,
            WindowNs = window,
            Reasons = _acc,
            Time = total,
            VcpuTime = _vcpus.Select(v => v.Time).ToArray(),
            QemuUtilisation = _qemus.Select(q => q.Busy / window).ToArray(),
            QemuServed = _qemus.Sum(q => q.Served),
            QemuWaitNs = _qemus.Sum(q => q.WaitSum),
            Timeline = _timeline,
            TimelineBinNs = _w1 / TimelineBins,
            Events = _events,
            Workload = _workload is null ? null : WorkloadResult(window),
        };
    }
}
