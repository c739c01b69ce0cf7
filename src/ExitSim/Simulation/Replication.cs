using System.Runtime.CompilerServices;
using ExitSim.Distributions;
using ExitSim.Engine;
using ExitSim.Model;
using ExitSim.Randomness;
using ExitSim.Simulation.Application;
using ExitSim.Simulation.Devices;
using ExitSim.Simulation.Host;
using ExitSim.Simulation.Idle;
using ExitSim.Simulation.Interrupts;
using ExitSim.Simulation.Microbench;
using ExitSim.Simulation.Vcpus;
using ExitSim.Statistics;

namespace ExitSim.Simulation;

/// <summary>
/// One replication: the event loop and the phases of an exit. An exit is caused by guest execution (an
/// occurrence on the vCPU's guest clock, or a follow-up of an earlier exit) or arrives in wall time (a timer
/// tick, an interrupt), and is charged save, handle and reenter — plus, for a userspace exit, its wait for and
/// time on the VM's QEMU thread. Phases that need no other entity (a kernel exit; the emulation of a QEMU
/// thread with a single client) are drawn together at the exit instead of being separate events. The
/// mechanisms are entities of their own, called directly: <see cref="WallClock"/>, <see cref="HostThread"/> and
/// <see cref="HostScheduler"/>, and with a workload <see cref="Operations"/>, <see cref="GuestScheduler"/>,
/// <see cref="IoPath"/>, <see cref="InterruptController"/> and <see cref="IdlePath"/>.
/// </summary>
public sealed partial class Replication
{
    /// <summary>Exits are also counted in this many equal bins over warm-up + window (exits over time).</summary>
    public const int TimelineBins = ExitStatistics.TimelineBins;

    private readonly int _replication;
    private readonly EventQueue _queue = new();
    private readonly MeasurementWindow _window;
    private readonly Vcpu[] _vcpus;
    private readonly HostThread[] _qemus;
    private readonly ExitSite[] _sites;
    private readonly Sampler[] _guestInterval;   // per guest-clock stream
    private readonly int[] _guestSite;           // per guest-clock stream
    private readonly WallClock _wallClock;
    private readonly ExitStatistics _stats;
    private readonly bool _contended;
    private readonly int _spinStream = int.MinValue;   // the kernel spin-wait stream (pause-loop exiting), or none
    private readonly int _shootdownStream = int.MinValue;   // the guest's TLB shootdowns, or none
    private long _events;

    public Replication(SimulationModel model, ulong seed, int replication, IExitSink? sink = null)
    {
        _replication = replication;
        _window = new MeasurementWindow(model.WarmupNs, model.WarmupNs + model.DurationNs);
        _sites = model.Sites;
        var streams = model.GuestStreams;
        _guestInterval = streams.Select(g => g.Interval).ToArray();
        _guestSite = streams.Select(g => g.Site).ToArray();
        _stats = new ExitStatistics(model.Reasons.Length, _window, sink);
        _qemus = Enumerable.Range(0, model.QemuThreadCount).Select(_ => new HostThread(_window)).ToArray();
        _vcpus = new Vcpu[model.VcpuCount];
        for (int v = 0; v < _vcpus.Length; v++)
        {
            var qemu = _qemus[model.QemuThreadOf(v)];
            qemu.AddClient();
            _vcpus[v] = new Vcpu(v, qemu, _window,
                streams.Select(g => RandomStream.For(seed, replication, StreamId.ExitOccurrence, Key(g.StreamKey, v))).ToArray(),
                _sites.Select(x => RandomStream.For(seed, replication, StreamId.ExitCost, Key(x.StreamKey, v))).ToArray(),
                RandomStream.For(seed, replication, StreamId.Emulation, v));
        }
        _wallClock = new WallClock(this, _queue, model, _vcpus, _stats, seed, replication);
        if (model.Workload is { } w)
        {
            Interrupts = new InterruptController(this, _window, w, _vcpus, seed, replication);
            Io = new IoPath(this, _queue, _window, model, _qemus, Interrupts, seed, replication);
            Ops = new Operations(this, _queue, _window, model, _vcpus, seed, replication);
            Guest = new GuestScheduler(this, _vcpus, w.PollModeGuest);
            var wakeUp = new WakeUp(w.Wake, model.Scenario.Host.IdleStates);
            Idle = new IdlePath(this, _queue, _window, _sites, _stats, w, wakeUp);
            // An IOThread blocked in ppoll/epoll is woken by the eventfd too (after the others, so their streams keep their keys).
            HostThread[] threads = [.. _qemus, .. Io.VhostThreads, .. Io.IoThreads];
            for (int i = 0; i < threads.Length; i++) threads[i].WakesUp(wakeUp, RandomStream.For(seed, replication, StreamId.HostWake, i));
        }
        if (model.Vmexit is { } vx) Bench = new VmexitLoop(this, _queue, _window, vx, _vcpus, seed, replication);
        if (model.PauseLoop is { } ple) (Ple, _spinStream) = (new PauseLoopExiting(this, ple, _guestInterval[ple.Stream], _window, _vcpus, seed, replication), ple.Stream);
        if (model.TlbShootdowns is { } tsd)
            (Shootdowns, _shootdownStream) = (new TlbShootdowns(this, tsd, _window, _vcpus, _guestInterval[tsd.Stream]), tsd.Stream);
        var host = model.Scenario.Host;
        // vhost-user polling threads have cores of their own (pmd-cpu-mask): the other threads share the rest.
        Host = new HostScheduler(this, _queue, _window, _vcpus, [.. _qemus, .. Io?.VhostThreads ?? [], .. Io?.IoThreads ?? []], Idle,
            host.Cores - (Io?.PmdThreads.Length ?? 0), host.TimesliceNs, model.VcpusPerVm);
        _contended = Host.Contended;
    }

    internal HostScheduler Host { get; }
    internal IReadOnlyList<Vcpu> Vcpus => _vcpus;
    // The workload layer (null without one).
    internal InterruptController? Interrupts { get; }
    internal IoPath? Io { get; }
    internal Operations? Ops { get; }
    internal GuestScheduler? Guest { get; }
    internal IdlePath? Idle { get; }
    /// <summary>A vmexit.flat test (null without one).</summary>
    internal VmexitLoop? Bench { get; }
    /// <summary>Pause-loop exiting of kernel spin-waits (null without them).</summary>
    internal PauseLoopExiting? Ple { get; }
    /// <summary>The guest's TLB shootdowns (null without them).</summary>
    internal TlbShootdowns? Shootdowns { get; }

    /// <summary>Stream index for (key, vCPU): stable when other reasons or sources come and go.</summary>
    internal static int Key(int key, int vcpu) => (key << 16) | vcpu;

    /// <summary>Runs to the end of the window; <paramref name="progress"/> gets the fraction of simulated time done.</summary>
    public ReplicationResult Run(CancellationToken cancel = default, Action<double>? progress = null)
    {
        Ops?.Start();
        Bench?.Start();
        foreach (var v in _vcpus)
        {
            for (int k = 0; k < _guestInterval.Length; k++)
                v.NextOccurrence[k] = _guestInterval[k].Sample(v.OccurrenceRng[k]);
            Resume(v, 0, 0);
        }
        if (_contended) Host.Start();
        _wallClock.Start();

        // In slices, so the loop is a method called many times: it gets the JIT's profile-guided tier
        // instead of staying in the on-stack-replacement code of a method that is called only once.
        while (RunSlice(0x10000))
        {
            cancel.ThrowIfCancellationRequested();
            progress?.Invoke(_lastEventTime / _window.End);
        }
        return Finish();
    }

    private double _lastEventTime;

    /// <summary>Handles up to <paramref name="events"/> events; false when the window is over.</summary>
    private bool RunSlice(int events)
    {
        for (int n = 0; n < events; n++)
        {
            if (!_queue.TryTakeBefore(_window.End, out var e)) return false;
            _events++;
            _lastEventTime = e.Time;
            // The commonest events on the loop's own path, the rest behind one call.
            if (e.Kind == (int)EventKind.GuestExit)
            {
                var v = _vcpus[e.Target];
                if (e.Stamp == v.Stamp) OnGuestExit(v, e.Time);
            }
            else if (e.Kind == (int)EventKind.QemuArrival) OnQemuArrival(_vcpus[e.Target], e.Time);
            else Handle(e);
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Handle(in Event e)
    {
        switch ((EventKind)e.Kind)
        {
            case EventKind.WallClock:
                _wallClock.OnArrival(e.Target, e.Time);
                break;
            case EventKind.ExitHandled:
                OnExitHandled((ExitAction)e.Target, e.Stamp, e.Time);
                break;
            case EventKind.HaltReached:
            {
                var v = _vcpus[e.Target];
                if (e.Stamp == v.Stamp) Idle!.OnHaltReached(v, e.Time);
                break;
            }
            case EventKind.ClientRequest:
                Ops!.OnClientRequest(e.Target, e.Time);
                break;
            case EventKind.OpenArrival:
                Ops!.OnOpenArrival(e.Target, e.Time);
                break;
            case EventKind.FrontEndDone:
                Io!.OnFrontEndDone(e.Target, e.Stamp, e.Time);
                break;
            case EventKind.BackEndDone:
                Io!.OnBackEndDone(e.Target, e.Time);
                break;
            case EventKind.Microbenchmark:
                Bench!.OnEvent(e.Target, e.Time);
                break;
            case EventKind.MitigationTimer:
                Interrupts!.OnMitigationTimer(e.Target, e.Time);
                break;
            case EventKind.GuestPollEnd:
            {
                var v = _vcpus[e.Target];
                if (e.Stamp == v.Stamp) Idle!.Guest.OnPollEnd(v, e.Time);
                break;
            }
            default:
                Host.OnEvent(e);
                break;
        }
    }

    private void OnGuestExit(Vcpu v, double t)
    {
        System.Diagnostics.Debug.Assert(v.InGuest(t), "a guest exit while the vCPU is not in the guest");
        double g = v.LeaveGuest(t);
        int k = v.Scheduled;
        if (k == _spinStream)
        {
            Ple!.OnSpin(v, t, g);   // a spin-wait exits only when it outlasts the PLE window
            return;
        }
        if (k == _shootdownStream)
        {
            Shootdowns!.OnShootdown(v, t, g);
            return;
        }
        if (k >= 0)
        {
            v.NextOccurrence[k] = g + _guestInterval[k].Sample(v.OccurrenceRng[k]);
            BeginExit(v, _guestSite[k], t, g);
        }
        else if (k == Vcpu.NextIsFollowUp)
        {
            var f = v.FollowUps.Pop();
            BeginExit(v, f.Site, t, g, f.Action, f.Arg);
        }
        else
        {
            // The guest's task reached the end of its segment: no exit, the guest carries on.
            if (Bench is { } b) b.OnTaskEnd(v, t);
            else Guest!.OnTaskEnd(v, t);
            Resume(v, t, g);
        }
    }

    /// <summary>The vCPU exits at <paramref name="t"/> through <paramref name="site"/>, its guest clock at <paramref name="guestClock"/>.</summary>
    internal void BeginExit(Vcpu v, int site, double t, double guestClock, ExitAction action = ExitAction.None, int arg = 0)
    {
        if (action is ExitAction.GuestPoll or ExitAction.HaltInGuest)
        {
            Idle!.Guest.Enter(v, t, guestClock, action);   // idle in guest mode: no exit
            return;
        }
        if (action == ExitAction.Ipi) site = Interrupts!.IcrSite(arg, t);   // what KVM's delivery costs depends on the target
        var r = _sites[site];
        var rng = v.CostRng[site];
        // A fastpath site's extra is negative (the generic path it skips); handling never takes less than nothing.
        double save = r.Save.Sample(rng), handle = Math.Max(0, r.Handle.Sample(rng) + r.HandleExtraNs);
        if (r.Nested is { } nested) handle += nested.IntoL1(rng, r.Path == ExitPath.Userspace);
        if (action is ExitAction.Halt or ExitAction.LockHalt)
        {
            Idle!.BeginHalt(v, site, t, guestClock, save, handle, lockWait: action == ExitAction.LockHalt);
            return;
        }
        if (r.Path == ExitPath.Kernel)
        {
            double reenter = r.Reenter.Sample(rng) + (r.Nested?.Vmresume(rng) ?? 0);
            double t1 = t + save, t2 = t1 + handle, end = t2 + reenter;
            var time = v.Time;
            if (t >= _window.Start && end <= _window.End)
            {
                // Wholly inside the window (nearly every exit): no clipping needed.
                time.Save += save;
                time.Handle += handle;
                time.Reenter += reenter;
            }
            else
            {
                time.Save += _window.Clip(t, t1);
                time.Handle += _window.Clip(t1, t2);
                time.Reenter += _window.Clip(t2, end);
            }
            _stats.Record(v.Index, site, r.Reason, t, save, handle, 0, 0, reenter);
            if (action != ExitAction.None) _queue.Schedule(t2, EventKind.ExitHandled, (int)action, arg);
            Resume(v, end, guestClock);
            return;
        }
        // Userspace: out of the guest until QEMU is done with it.
        if (v.Qemu.Clients == 1 && !_contended)
        {
            // Nobody to queue behind (no device work on it either, no wait for a core): QEMU takes it at once.
            AccountSaveAndHandle(v, t, save, handle);
            OnQemu(v, new PendingExit { Site = site, Action = action, Arg = arg, Start = t, Save = save, Handle = handle, GuestClock = guestClock }, t + save + handle);
            return;
        }
        Suspend(v, site, t, guestClock, save, handle, action, arg);
        _queue.Schedule(t + save + handle, EventKind.QemuArrival, v.Index);
    }

    private void OnQemuArrival(Vcpu v, double a) => OnQemu(v, v.Exit, a);

    /// <summary>The vCPU's userspace exit <paramref name="x"/> reaches its QEMU thread at <paramref name="a"/>: it waits its turn, QEMU emulates, the vCPU re-enters.</summary>
    private void OnQemu(Vcpu v, in PendingExit x, double a)
    {
        var q = v.Qemu;
        var r = _sites[x.Site];
        if (_contended) Host.SleepOnQemu(v, a);
        double start = q.Start(a);
        double emulate = r.Emulate.Sample(v.EmulationRng);
        double end = start + emulate;
        if (_contended) Host.QemuDoneAt(v, end);
        double reenter = r.Reenter.Sample(v.CostRng[x.Site]) + (r.Nested?.Vmresume(v.CostRng[x.Site]) ?? 0);
        q.Run(start, end);
        var time = v.Time;
        time.Wait += _window.Clip(a, start);
        time.Emulate += _window.Clip(start, end);
        time.Reenter += _window.Clip(end, end + reenter);
        if (_stats.Record(v.Index, x.Site, r.Reason, x.Start, x.Save, x.Handle, start - a, emulate, reenter))
        {
            _stats.Reasons[r.Reason].Userspace++;
            q.CountServed(start - a);
        }
        if (x.Action != ExitAction.None) _queue.Schedule(end, EventKind.ExitHandled, (int)x.Action, x.Arg);
        Resume(v, end + reenter, x.GuestClock);
    }

    /// <summary>
    /// An exit whose end is not known yet (it waits for QEMU, or it halts): the vCPU is out of the guest
    /// until further notice, any pending guest exit is void, and its save and handle are accounted.
    /// </summary>
    internal void Suspend(Vcpu v, int site, double t, double guestClock, double save, double handle, ExitAction action, int arg)
    {
        v.Stamp++;
        v.Exit = new PendingExit { Site = site, Action = action, Arg = arg, Start = t, Save = save, Handle = handle, GuestClock = guestClock };
        v.ResumeAt = double.PositiveInfinity;
        AccountSaveAndHandle(v, t, save, handle);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AccountSaveAndHandle(Vcpu v, double t, double save, double handle)
    {
        v.Time.Save += _window.Clip(t, t + save);
        v.Time.Handle += _window.Clip(t + save, t + save + handle);
    }

    /// <summary>The guest resumes at <paramref name="at"/> (or when the host gives it a core back); schedule the vCPU's next exit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Resume(Vcpu v, double at, double guestClock)
    {
        if (at < v.Core.StolenUntil)
        {
            // The host gave the vCPU's core to another thread: it enters when the quantum ends.
            v.Time.Steal += _window.Clip(at, v.Core.StolenUntil);
            v.DeferredFrom = at;
            at = v.Core.StolenUntil;
        }
        v.ResumeAt = at;
        v.GuestClockAtResume = guestClock;
        Guest?.Dispatch(v, guestClock);
        ScheduleNext(v);
    }

    /// <summary>A device's interrupt-mitigation timer for interrupt source <paramref name="source"/>.</summary>
    internal void ScheduleMitigationTimer(double t, int source) => _queue.Schedule(t, EventKind.MitigationTimer, source);

    /// <summary>Schedules the vCPU's next guest exit: a follow-up at once, else the earliest deadline on its guest clock.</summary>
    internal void ScheduleNext(Vcpu v)
    {
        v.Stamp++;
        if (v.FollowUps.Count > 0)
        {
            v.Scheduled = Vcpu.NextIsFollowUp;
            _queue.Schedule(v.ResumeAt, EventKind.GuestExit, v.Index, v.Stamp);
            return;
        }
        var (at, best) = v.NextDeadline();
        if (double.IsPositiveInfinity(at) && best < 0) return;
        v.Scheduled = best;
        // Streams due at the same guest instant (constant intervals with a common multiple) leave the
        // second one a rounding error in the past: it exits on re-entry, not before it.
        _queue.Schedule(v.ResumeAt + Math.Max(0, at - v.GuestClockAtResume), EventKind.GuestExit, v.Index, v.Stamp);
    }

    private void OnExitHandled(ExitAction action, int arg, double t)
    {
        switch (action)
        {
            case ExitAction.ToBackEnd:
                Io!.ToBackEnd(arg, t);
                break;
            case ExitAction.Kick:
                Io!.OnKick(arg, t);
                break;
            case ExitAction.Ipi:
                Interrupts!.OnIcrWritten(arg, t);
                break;
            case ExitAction.Microbenchmark:
                Bench!.OnExitHandled(arg, t);
                break;
            case ExitAction.TlbFlushSent:
                Shootdowns!.OnSent(_vcpus[arg], t);
                break;
            case ExitAction.SchedYield:
                Shootdowns!.OnYield(_vcpus[arg], t);
                break;
            case ExitAction.SpinPle:
                Shootdowns!.OnPauseExit(_vcpus[arg], t);
                break;
            case ExitAction.LockPle or ExitAction.PvKick:
                Ple!.Lock!.OnHandled(action, _vcpus[arg], t);
                break;
        }
    }
}
