using ExitSim.Statistics;

namespace ExitSim.Simulation;

// Host CPU contention (an approximation of CFS, see docs/model.md): every vCPU thread, QEMU thread and
// vhost worker shares host.cores cores. At each quantum boundary the runnable threads are counted; if
// there are more than cores, cores of them run (round-robin, fair over quanta) and the others are
// "stolen" until the quantum's end. A thread that blocks mid-quantum (a vCPU halts past its polling, a
// host thread runs out of work) gives its core to a waiting thread, or leaves it free; a thread that
// becomes runnable mid-quantum takes a free core, pre-empts a vCPU, or waits for the next boundary. With
// no more threads than cores nothing is scheduled at all, so such scenarios run exactly as without it.
public sealed partial class Replication
{
    private const int QuantumEvent = 9, BlockEvent = 10, ThreadIdleEvent = 11, QemuDoneEvent = 12, PreemptEvent = 13;
    private bool _contended;
    private int _cores;
    private double _slice, _pollNs;
    private HostThread[] _hostThreads = [];
    private long _quantum = -1;
    private double _quantumEnd;
    private int _freeCores, _roundRobin, _victim;

    private void BuildHost(SimulationModel model)
    {
        _cores = model.Scenario.Host.Cores;
        _slice = model.Scenario.Host.TimesliceNs;
        _pollNs = _workload?.HaltPollNs ?? 0;
        _hostThreads = [.. _qemus, .. _vhosts];
        for (int i = 0; i < _hostThreads.Length; i++) _hostThreads[i].SchedulerId = _vcpus.Length + i;
        _contended = _vcpus.Length + _hostThreads.Length > _cores;
    }

    private void OnHostEvent(in Engine.Event e)
    {
        if (e.Kind == QuantumEvent) OnQuantum(e.Time);
        else if (e.Kind == BlockEvent)
        {
            var v = _vcpus[e.Target];
            if (e.Stamp == v.Stamp && v.Halted) Release(ref v.RunQuantum, e.Time);   // polling over: it blocks
        }
        else if (e.Kind == QemuDoneEvent) OnQemuDone(_vcpus[e.Target], e.Time);
        else if (e.Kind == PreemptEvent) OnPreempt(e.Time);
        else
        {
            var h = _hostThreads[e.Target - _vcpus.Length];
            if (h.BusyUntil <= e.Time) Release(ref h.RunQuantum, e.Time);
        }
    }

    /// <summary>
    /// A userspace exit reached the QEMU thread (the vCPU released its core then) and is done at
    /// <paramref name="end"/>: the vCPU thread sleeps in between, the work is the QEMU thread's.
    /// </summary>
    private void OnQemuHandoff(VcpuState v, double end)
    {
        v.OnQemuUntil = end;
        _queue.Schedule(end, QemuDoneEvent, v.Index);
    }

    /// <summary>QEMU is done with the vCPU's exit: the vCPU thread needs a core again to re-enter.</summary>
    private void OnQemuDone(VcpuState v, double t)
    {
        if (!(v.ResumeAt >= t) || double.IsPositiveInfinity(v.ResumeAt)) return;
        Claim(ref v.RunQuantum, ref v.StolenUntil, t);
        if (v.StolenUntil > v.ResumeAt)
        {
            v.DeferredFrom = v.ResumeAt;
            v.Time.Steal += Clip(v.ResumeAt, v.StolenUntil);
            v.ResumeAt = v.StolenUntil;
            ScheduleNext(v);
        }
    }

    /// <summary>The vCPU reached HLT's block point: it gives up its core once polling is over.</summary>
    private void OnHalted(VcpuState v, double t)
    {
        if (_pollNs == 0) Release(ref v.RunQuantum, t);
        else _queue.Schedule(t + _pollNs, BlockEvent, v.Index, v.Stamp);
    }

    /// <summary>A job ends at <paramref name="end"/> on a host thread: if it has nothing more then, it gives up its core.</summary>
    private void AfterJob(HostThread thread, double end)
    {
        if (_contended) _queue.Schedule(end, ThreadIdleEvent, thread.SchedulerId);
    }

    /// <summary>A thread stops being runnable at t: its core goes to the next waiting thread (round-robin), or stays free.</summary>
    private void Release(ref long runQuantum, double t)
    {
        if (runQuantum != _quantum) return;   // it held no core this quantum
        runQuantum = -1;
        int total = _vcpus.Length + _hostThreads.Length;
        for (int n = 0; n < total; n++)
        {
            int i = (_roundRobin + n) % total;
            if (StolenNow(i, t) && Runnable(i, t))
            {
                _roundRobin = (i + 1) % total;
                Reschedule(i, t);
                return;
            }
        }
        _freeCores++;
    }

    private bool StolenNow(int i, double t) =>
        (i < _vcpus.Length ? _vcpus[i].StolenUntil : _hostThreads[i - _vcpus.Length].StolenUntil) > t;

    /// <summary>A descheduled thread gets a core at t: it runs from now, and the steal it was charged after now is taken back.</summary>
    private void Reschedule(int i, double t)
    {
        if (i >= _vcpus.Length)
        {
            // Jobs already given start times keep them (see Deschedule); new ones start from now.
            var h = _hostThreads[i - _vcpus.Length];
            h.StolenUntil = t;
            h.RunQuantum = _quantum;
            return;
        }
        var v = _vcpus[i];
        v.RunQuantum = _quantum;
        if (v.Halted)
        {
            AccountHalt(v, t);
            v.StolenUntil = t;
            return;
        }
        if (v.ResumeAt == v.StolenUntil && v.DeferredFrom < v.ResumeAt)
        {
            // Its entry was deferred to the quantum's end: enter as soon as it can.
            double at = Math.Max(t, v.DeferredFrom);
            v.Time.Steal -= Clip(at, v.StolenUntil);
            v.StolenUntil = t;
            v.ResumeAt = at;
            ScheduleNext(v);
            return;
        }
        v.StolenUntil = t;
    }

    private void OnQuantum(double t)
    {
        _quantum++;
        _quantumEnd = t + _slice;
        _queue.Schedule(_quantumEnd, QuantumEvent, 0);
        int total = _vcpus.Length + _hostThreads.Length, runnable = 0;
        for (int i = 0; i < total; i++)
            if (Runnable(i, t)) runnable++;
        if (runnable <= _cores)
        {
            for (int i = 0; i < total; i++)
                if (Runnable(i, t)) Grant(i);
            _freeCores = _cores - runnable;
            return;
        }
        _freeCores = 0;
        int chosen = 0, last = _roundRobin;
        for (int n = 0; n < total; n++)
        {
            int i = (_roundRobin + n) % total;
            if (!Runnable(i, t)) continue;
            if (chosen < _cores)
            {
                chosen++;
                last = i;
                Grant(i);
            }
            else Deschedule(i, t);
        }
        _roundRobin = (last + 1) % total;   // the next quantum starts after the last thread that ran: fair over quanta
    }

    /// <summary>Thread i (vCPUs first, then QEMU and vhost threads) wants a core: a vCPU unless it is halted past its
    /// polling or its exit is with the QEMU thread, a host thread while it has work.</summary>
    private bool Runnable(int i, double t)
    {
        if (i < _vcpus.Length)
        {
            var v = _vcpus[i];
            return !(v.Halted && t - v.HaltStart >= _pollNs) && !(t < v.OnQemuUntil);
        }
        return _hostThreads[i - _vcpus.Length].BusyUntil > t;
    }

    private void Grant(int i)
    {
        if (i < _vcpus.Length) _vcpus[i].RunQuantum = _quantum;
        else _hostThreads[i - _vcpus.Length].RunQuantum = _quantum;
    }

    /// <summary>Thread i gets no core this quantum.</summary>
    private void Deschedule(int i, double t)
    {
        if (i >= _vcpus.Length)
        {
            // Work already queued on it keeps the start times Lindley's recursion gave it; new work waits (StartOn).
            _hostThreads[i - _vcpus.Length].StolenUntil = _quantumEnd;
            return;
        }
        var v = _vcpus[i];
        if (v.Halted)
        {
            AccountHalt(v, t);   // polling until now; AccountHalt charges the polling it misses as steal
            v.StolenUntil = _quantumEnd;
            return;
        }
        v.StolenUntil = _quantumEnd;
        if (t >= v.ResumeAt)
        {
            // In the guest: pre-empted like by an interrupt, it keeps its remaining work; Resume defers the entry.
            double g = LeaveGuest(v, t);
            Resume(v, t, g);
        }
        else if (!double.IsPositiveInfinity(v.ResumeAt) && v.ResumeAt < _quantumEnd)
        {
            // In a kernel exit: it finishes the exit but enters the guest only at the quantum's end.
            v.DeferredFrom = v.ResumeAt;
            v.Time.Steal += Clip(v.ResumeAt, _quantumEnd);
            v.ResumeAt = _quantumEnd;
            ScheduleNext(v);
        }
        // Otherwise (waiting for QEMU, or on the way to halting) Resume defers the entry when it comes.
    }

    /// <summary>
    /// A thread that was not runnable at the boundary becomes runnable at t: it takes a free core, or pre-empts a vCPU
    /// (CFS favours a woken thread over one that has run), or, when host threads hold every core, waits for the next quantum.
    /// </summary>
    private void Claim(ref long runQuantum, ref double stolenUntil, double t)
    {
        if (runQuantum == _quantum) return;
        if (_freeCores > 0) _freeCores--;
        else if (FindVictim(t, advance: false) >= 0) _queue.Schedule(t, PreemptEvent, 0);   // after the event in progress, whose vCPU may be the victim
        else
        {
            if (stolenUntil <= t) stolenUntil = _quantumEnd;
            return;
        }
        runQuantum = _quantum;
        if (stolenUntil > t) stolenUntil = t;
    }

    /// <summary>
    /// A vCPU holding a core, which a woken thread may take (round-robin), or -1. One running guest code or polling
    /// first: one in an exit finishes it on the core it lost (see Deschedule), which overruns the host's cores a little.
    /// </summary>
    private int FindVictim(double t, bool advance)
    {
        for (int pass = 0; pass < 2; pass++)
            for (int n = 0; n < _vcpus.Length; n++)
            {
                int i = (_victim + n) % _vcpus.Length;
                var v = _vcpus[i];
                if (v.RunQuantum != _quantum || (pass == 0 && !(t >= v.ResumeAt || v.Halted))) continue;
                if (advance) _victim = (i + 1) % _vcpus.Length;
                return i;
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
            _vcpus[i].RunQuantum = -1;
            Deschedule(i, t);
        }
        // else: the model runs one thread more than cores until the next release or boundary (rare).
    }

    /// <summary>When a job arriving at <paramref name="a"/> starts on a FIFO host thread (Lindley, plus the wait for a core).</summary>
    private double StartOn(HostThread thread, double a)
    {
        if (!_contended) return Math.Max(a, thread.BusyUntil);
        if (thread.BusyUntil <= a) Claim(ref thread.RunQuantum, ref thread.StolenUntil, a);
        return Math.Max(Math.Max(a, thread.BusyUntil), thread.StolenUntil);
    }

    private HostCpuTime HostTime(TimeAccount total, double window)
    {
        double busy = 0;
        foreach (var h in _hostThreads) busy += h.Busy;
        return new HostCpuTime(_cores, window, total.Guest, total.Save + total.Handle + total.Reenter, busy, total.Poll, total.Steal, _contended);
    }
}
