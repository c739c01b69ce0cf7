using ExitSim.Engine;
using ExitSim.Simulation.Idle;
using ExitSim.Simulation.Vcpus;
using ExitSim.Statistics;

namespace ExitSim.Simulation.Host;

/// <summary>
/// Host CPU contention (an approximation of CFS, see docs/model.md): every vCPU thread, QEMU thread and
/// vhost worker shares host.cores cores. At each quantum boundary the runnable threads are counted; if
/// there are more than cores, cores of them run (round-robin, fair over quanta) and the others are
/// "stolen" until the quantum's end. A thread that blocks mid-quantum (a vCPU halts past its polling, a
/// host thread runs out of work) gives its core to a waiting thread, or leaves it free; a thread that
/// becomes runnable mid-quantum takes a free core, pre-empts a vCPU, or waits for the next boundary. With
/// no more threads than cores nothing is scheduled at all (<see cref="Contended"/> is false), so such
/// scenarios run exactly as without it.
/// Decisions within a quantum look only at the threads concerned: the waiting threads and the vCPUs holding a
/// core are kept in <see cref="IndexSet"/>s, walked in the same round-robin order as a scan of every thread would
/// take, so a decision costs a few word operations whatever the number of VMs (only the boundary looks at every thread).
/// </summary>
internal sealed class HostScheduler
{
    private readonly Replication _sim;
    private readonly EventQueue _queue;
    private readonly MeasurementWindow _window;
    private readonly Vcpu[] _vcpus;
    private readonly HostThread[] _threads;
    private readonly IdlePath? _idle;
    private readonly int _cores;
    private readonly double _slice;
    private long _quantum = -1;
    private double _quantumEnd;
    private int _freeCores, _roundRobin, _victim;
    /// <summary>Every thread that waits for a core now (StolenUntil past now) and wants one, and some that no longer do:
    /// those are dropped when a search meets them (see <see cref="Release"/>).</summary>
    private readonly IndexSet _waiting;
    /// <summary>The vCPUs holding a core this quantum (RunQuantum is the quantum), exactly.</summary>
    private readonly IndexSet _holders;
    /// <summary>The boundary's round-robin order (see <see cref="RunOrder"/>) and where the next quantum starts in it.</summary>
    private readonly int[] _order;
    private int _orderStart;

    public HostScheduler(Replication sim, EventQueue queue, MeasurementWindow window, Vcpu[] vcpus, HostThread[] threads,
        IdlePath? idle, int cores, double timesliceNs, int vcpusPerVm)
    {
        _sim = sim;
        _queue = queue;
        _window = window;
        _vcpus = vcpus;
        _threads = threads;
        _idle = idle;
        _cores = cores;
        _slice = timesliceNs;
        Contended = vcpus.Length + threads.Length > cores;
        _waiting = new IndexSet(Contended ? vcpus.Length + threads.Length : 0);
        _holders = new IndexSet(Contended ? vcpus.Length : 0);
        _order = Contended ? RunOrder.Interleaved(vcpus.Length, vcpusPerVm, threads.Length) : [];
        if (!Contended) return;
        for (int i = 0; i < vcpus.Length; i++) vcpus[i].Core.Id = i;
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i].Contend(this, vcpus.Length + i);
            threads[i].Core.Id = vcpus.Length + i;
        }
    }

    /// <summary>More threads than cores: without that nothing is ever scheduled.</summary>
    public bool Contended { get; }

    public void Start() => _queue.Schedule(0, EventKind.Quantum, 0);

    public void OnEvent(in Event e)
    {
        switch ((EventKind)e.Kind)
        {
            case EventKind.Quantum:
                OnQuantum(e.Time);
                break;
            case EventKind.PollEnd:
            {
                var v = _vcpus[e.Target];
                if (e.Stamp == v.Stamp && v.Idle.Halted) Release(ref v.Core, e.Time);   // polling over: it blocks
                break;
            }
            case EventKind.QemuDone:
                OnQemuDone(_vcpus[e.Target], e.Time);
                break;
            case EventKind.Preempt:
                OnPreempt(e.Time);
                break;
            default:   // ThreadIdle
            {
                var h = _threads[e.Target - _vcpus.Length];
                if (h.BusyUntil <= e.Time) Release(ref h.Core, e.Time);
                break;
            }
        }
    }

    /// <summary>
    /// A userspace exit reached the QEMU thread at <paramref name="arrival"/> and is done at <paramref name="end"/>:
    /// the vCPU thread sleeps in between (its core is free for QEMU), the work is the QEMU thread's.
    /// </summary>
    public void SleepOnQemu(Vcpu v, double arrival)
    {
        // Whether it waits for a core to re-enter is decided when QEMU is done (OnQemuDone), not by a deschedule before it slept.
        Release(ref v.Core, arrival);
        if (v.Core.StolenUntil > arrival) v.Core.StolenUntil = arrival;
        _waiting.Remove(v.Index);
    }

    public void QemuDoneAt(Vcpu v, double end)
    {
        v.OnQemuUntil = end;
        _queue.Schedule(end, EventKind.QemuDone, v.Index);
    }

    /// <summary>QEMU is done with the vCPU's exit: the vCPU thread needs a core again to re-enter.</summary>
    private void OnQemuDone(Vcpu v, double t)
    {
        if (!(v.ResumeAt >= t) || v.Suspended) return;
        Claim(ref v.Core, t);
        if (v.Core.StolenUntil > v.ResumeAt)
        {
            v.DeferredFrom = v.ResumeAt;
            v.Time.Steal += _window.Clip(v.ResumeAt, v.Core.StolenUntil);
            v.ResumeAt = v.Core.StolenUntil;
            _sim.ScheduleNext(v);
        }
    }

    /// <summary>The vCPU reached HLT's block point: it gives up its core once polling is over.</summary>
    public void OnHalted(Vcpu v, double t)
    {
        if (v.Idle.PollUntil <= t) Release(ref v.Core, t);   // no window (yet): it blocks at once
        else _queue.Schedule(v.Idle.PollUntil, EventKind.PollEnd, v.Index, v.Stamp);
    }

    /// <summary>A job ends at <paramref name="end"/> on a host thread: if it has nothing more then, it gives up its core.</summary>
    public void AfterJob(HostThread thread, double end) => _queue.Schedule(end, EventKind.ThreadIdle, thread.SchedulerId);

    /// <summary>A thread stops being runnable at t: its core goes to the next waiting thread (round-robin), or stays free.</summary>
    private void Release(ref CoreState core, double t)
    {
        if (core.RunQuantum != _quantum) return;   // it held no core this quantum
        core.RunQuantum = -1;
        if (core.Id < _vcpus.Length) _holders.Remove(core.Id);
        int total = _vcpus.Length + _threads.Length;
        // Round-robin from _roundRobin over the waiting threads. Nobody waits past the quantum's end.
        for (int pass = 0; pass < 2 && t < _quantumEnd; pass++)
        {
            int end = pass == 0 ? total : _roundRobin;
            for (int i = _waiting.Next(pass == 0 ? _roundRobin : 0); i >= 0 && i < end; i = _waiting.Next(i + 1))
            {
                bool stolen = StolenNow(i, t);
                if (stolen && Runnable(i, t))
                {
                    _roundRobin = (i + 1) % total;
                    Reschedule(i, t);
                    return;
                }
                if (!stolen || Dormant(i, t)) _waiting.Remove(i);
            }
        }
        _freeCores++;
    }

    /// <summary>
    /// Thread i does not want a core and will not want one again without passing through <see cref="Claim"/>, which puts
    /// it back among the waiting: a host thread without work (new work claims), a vCPU blocked in HLT past its polling
    /// (a wake-up after the polling claims). Only these may leave <see cref="_waiting"/> while still waiting.
    /// </summary>
    private bool Dormant(int i, double t)
    {
        if (i >= _vcpus.Length) return _threads[i - _vcpus.Length].BusyUntil <= t;
        var v = _vcpus[i];
        return v.Idle.Halted && t - v.Idle.HaltStart > v.Idle.PollNs;   // strictly: a wake exactly at the end counts as polled
    }

    private bool StolenNow(int i, double t) =>
        (i < _vcpus.Length ? _vcpus[i].Core.StolenUntil : _threads[i - _vcpus.Length].Core.StolenUntil) > t;

    /// <summary>A descheduled thread gets a core at t: it runs from now, and the steal it was charged after now is taken back.</summary>
    private void Reschedule(int i, double t)
    {
        if (i >= _vcpus.Length)
        {
            // Jobs already given start times keep them (see Deschedule); new ones start from now.
            var h = _threads[i - _vcpus.Length];
            h.Core.StolenUntil = t;
            h.Core.RunQuantum = _quantum;
            _waiting.Remove(i);
            return;
        }
        var v = _vcpus[i];
        v.Core.RunQuantum = _quantum;
        _holders.Add(i);
        _waiting.Remove(i);
        if (v.Idle.Halted)
        {
            _idle!.AccountHalt(v, t);
            v.Core.StolenUntil = t;
            return;
        }
        if (v.ResumeAt == v.Core.StolenUntil && v.DeferredFrom < v.ResumeAt)
        {
            // Its entry was deferred to the quantum's end: enter as soon as it can.
            double at = Math.Max(t, v.DeferredFrom);
            v.Time.Steal -= _window.Clip(at, v.Core.StolenUntil);
            v.Core.StolenUntil = t;
            v.ResumeAt = at;
            _sim.ScheduleNext(v);
        }
        else v.Core.StolenUntil = t;
        _sim.Shootdowns?.ScheduledIn(v, t);
    }

    private void OnQuantum(double t)
    {
        _quantum++;
        _quantumEnd = t + _slice;
        _queue.Schedule(_quantumEnd, EventKind.Quantum, 0);
        _waiting.Clear();   // every wait ended with the last quantum
        _holders.Clear();
        int total = _vcpus.Length + _threads.Length, runnable = 0;
        for (int i = 0; i < total; i++)
            if (Runnable(i, t)) runnable++;
        // Threads would wait for a core: as many halt-polling vCPUs as that takes stop polling and block instead.
        for (int n = 0; n < _vcpus.Length && runnable > _cores; n++)
        {
            var v = _vcpus[(_roundRobin + n) % _vcpus.Length];
            if (!v.Idle.Halted || t >= v.Idle.PollUntil) continue;
            _idle!.StopPolling(v, t);
            runnable--;
        }
        if (runnable <= _cores)
        {
            for (int i = 0; i < total; i++)
                if (Runnable(i, t)) Grant(i, t);
            _freeCores = _cores - runnable;
            return;
        }
        _freeCores = 0;
        int chosen = 0, last = _orderStart;
        for (int n = 0; n < total; n++)
        {
            int p = (_orderStart + n) % total, i = _order[p];
            if (!Runnable(i, t)) continue;
            if (chosen < _cores)
            {
                chosen++;
                last = p;
                Grant(i, t);
            }
            else Deschedule(i, t);
        }
        _orderStart = (last + 1) % total;   // the next quantum starts after the last thread that ran: fair over quanta
    }

    /// <summary>Thread i (vCPUs first, then QEMU and vhost threads) wants a core: a vCPU unless it is halted past its
    /// polling or its exit is with the QEMU thread, a host thread while it has work.</summary>
    private bool Runnable(int i, double t)
    {
        if (i < _vcpus.Length)
        {
            var v = _vcpus[i];
            return !(v.Idle.Halted && t >= v.Idle.PollUntil) && !(t < v.OnQemuUntil);
        }
        return _threads[i - _vcpus.Length].BusyUntil > t;
    }

    private void Grant(int i, double t)
    {
        if (i < _vcpus.Length)
        {
            _vcpus[i].Core.RunQuantum = _quantum;
            _holders.Add(i);
            _sim.Shootdowns?.ScheduledIn(_vcpus[i], t);
        }
        else _threads[i - _vcpus.Length].Core.RunQuantum = _quantum;
    }

    /// <summary>Thread i gets no core this quantum.</summary>
    private void Deschedule(int i, double t)
    {
        _waiting.Add(i);
        if (i >= _vcpus.Length)
        {
            // Work already queued on it keeps the start times Lindley's recursion gave it; new work waits (HostThread.Start).
            _threads[i - _vcpus.Length].Core.StolenUntil = _quantumEnd;
            return;
        }
        var v = _vcpus[i];
        _sim.Ple?.ScheduledOut(v);   // its sched-in resets the PLE window
        if (v.Idle.Halted)
        {
            _idle!.StopPolling(v, t);   // another thread wants the core: it stops polling and blocks, it does not wait
            return;
        }
        v.Core.StolenUntil = _quantumEnd;
        _sim.Shootdowns?.Descheduled(v, t);   // a TLB-shootdown initiator stops spinning: the rest of its wait is steal
        if (v.InGuest(t))
        {
            // In the guest: pre-empted like by an interrupt, it keeps its remaining work; Resume defers the entry.
            double g = v.LeaveGuest(t);
            _sim.Resume(v, t, g);
        }
        else if (!v.Suspended && v.ResumeAt < _quantumEnd)
        {
            // In a kernel exit: it finishes the exit but enters the guest only at the quantum's end.
            v.DeferredFrom = v.ResumeAt;
            v.Time.Steal += _window.Clip(v.ResumeAt, _quantumEnd);
            v.ResumeAt = _quantumEnd;
            _sim.ScheduleNext(v);
        }
        // Otherwise (waiting for QEMU, or on the way to halting) Resume defers the entry when it comes.
    }

    /// <summary>
    /// A thread that was not runnable at the boundary becomes runnable at t: it takes a free core, or pre-empts a vCPU
    /// (CFS favours a woken thread over one that has run), or, when host threads hold every core, waits for the next quantum.
    /// </summary>
    /// <returns>Whether it took a free core (one that was idle).</returns>
    public bool Claim(ref CoreState core, double t)
    {
        if (core.RunQuantum == _quantum) return false;
        bool free = _freeCores > 0;
        if (free) _freeCores--;
        else if (FindVictim(t, advance: false) >= 0) _queue.Schedule(t, EventKind.Preempt, 0);   // after the event in progress, whose vCPU may be the victim
        else
        {
            if (core.StolenUntil <= t) core.StolenUntil = _quantumEnd;
            _waiting.Add(core.Id);
            return false;
        }
        core.RunQuantum = _quantum;
        if (core.Id < _vcpus.Length) _holders.Add(core.Id);
        if (core.StolenUntil > t) core.StolenUntil = t;
        _waiting.Remove(core.Id);
        return free;
    }

    /// <summary>
    /// A vCPU holding a core, which a woken thread may take (round-robin), or -1. A polling one first (it stops polling as
    /// soon as another thread waits: kvm_vcpu_can_poll), then one running guest code: one in an exit finishes it on the
    /// core it lost (see Deschedule), which overruns the host's cores a little.
    /// </summary>
    private int FindVictim(double t, bool advance)
    {
        for (int pass = 0; pass < 3; pass++)
            for (int part = 0; part < 2; part++)   // from _victim round to it
            {
                int end = part == 0 ? _vcpus.Length : _victim;
                for (int i = _holders.Next(part == 0 ? _victim : 0); i >= 0 && i < end; i = _holders.Next(i + 1))
                {
                    var v = _vcpus[i];
                    if ((pass == 0 && !v.Idle.Halted) || (pass == 1 && !v.InGuest(t))) continue;
                    if (advance) _victim = (i + 1) % _vcpus.Length;
                    return i;
                }
            }
        return -1;
    }

    /// <summary>A woken thread took a core at t: a vCPU holding one waits, unless a core was released meanwhile.</summary>
    private void OnPreempt(double t)
    {
        if (_freeCores > 0)
        {
            _freeCores--;   // a core was released since: nobody has to wait
            return;
        }
        int i = FindVictim(t, advance: true);
        if (i >= 0)
        {
            _vcpus[i].Core.RunQuantum = -1;
            _holders.Remove(i);
            Deschedule(i, t);
        }
        // else: the model runs one thread more than cores until the next release or boundary (rare).
    }

    /// <summary>
    /// Directed yield (KVM_HC_SCHED_YIELD → kvm_sched_yield → kvm_vcpu_yield_to → yield_to): <paramref name="from"/> gives
    /// its core to the preempted <paramref name="to"/>, which runs from now; <paramref name="from"/> waits for a core.
    /// False when there is nothing to give (no contention, the quantum is over, or <paramref name="to"/> is not waiting).
    /// </summary>
    public bool YieldTo(Vcpu from, Vcpu to, double t)
    {
        if (!Contended || t >= _quantumEnd || from.Core.RunQuantum != _quantum || to.Core.RunQuantum == _quantum || !(to.Core.StolenUntil > t))
            return false;
        from.Core.RunQuantum = -1;
        _holders.Remove(from.Index);
        Deschedule(from.Index, t);
        Reschedule(to.Index, t);
        return true;
    }

    /// <summary>Where the host's core-time went in the window.</summary>
    public HostCpuTime CoreTime(TimeAccount total)
    {
        double busy = 0;
        foreach (var h in _threads) busy += h.Busy;
        return new HostCpuTime(_cores, _window.Length, total.Guest, total.Save + total.Handle + total.Reenter, busy, total.Poll, total.Steal, Contended);
    }
}
