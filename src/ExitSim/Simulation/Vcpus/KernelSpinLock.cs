using ExitSim.Distributions;
using ExitSim.Randomness;

namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// The lock model of <c>vm.kernel_spin</c> (<c>hold</c>): each spin-wait of the stream is an acquisition of one kernel
/// spinlock per VM. A free lock is taken at once and held for <c>hold</c> of the holder's guest time (its guest clock:
/// the hold stops while the holder is in an exit or descheduled by the host — lock-holder preemption). A held lock
/// queues the waiter in FIFO order (qspinlock's MCS queue, kernel/locking/qspinlock.c) and it spins at CPL 0 until the
/// holder releases it and the lock passes to it; a waiter the host has descheduled takes it only when it runs again
/// (lock-waiter preemption). The spin is a PAUSE loop, so pause-loop exiting cuts it after the vCPU's window (grown ×2
/// per exit, reset at sched-in, as in <see cref="PauseLoopExiting"/>), and KVM's handle_pause → kvm_vcpu_on_spin
/// (virt/kvm/kvm_main.c) yields the waiter's core to a vCPU of the VM that is preempted in kernel mode: the holder, or
/// a queued waiter — one in a spin loop only every other time (kvm_vcpu_eligible_for_directed_yield's dy_eligible),
/// searching round-robin from the last boosted vCPU. As with the plain spin-waits, the spinning is guest time.
/// With PV spinlocks (<see cref="PvSpinParameters"/>) a waiter spins only so long, then halts in kvm_wait (an HLT exit through
/// the idle path: it blocks, its core is free); the unlocker that passes the lock to a halted waiter kicks it (KVM_HC_KICK_CPU, a
/// VMCALL exit on the unlocker), and it takes the lock once it runs again. One woken otherwise (an interrupt) spins again.
/// </summary>
internal sealed class KernelSpinLock
{
    private readonly Replication _sim;
    private readonly PauseLoopParameters _p;
    private readonly MeasurementWindow _window;
    private readonly Vcpu[] _vcpus;
    private readonly Sampler _hold, _between;
    private readonly RandomStream[] _rng;
    /// <summary>Per VM: the vCPU that holds the lock (or was handed it), or -1.</summary>
    private readonly int[] _holder;
    /// <summary>Per VM: the waiters in queue order.</summary>
    private readonly IntRing[] _queue;
    /// <summary>Per VM: kvm->last_boosted_vcpu; the next search starts after it.</summary>
    private readonly int[] _lastBoosted;
    private readonly PvSpinParameters? _pv;

    public KernelSpinLock(Replication sim, PauseLoopParameters p, Sampler hold, Sampler between, MeasurementWindow window, Vcpu[] vcpus, RandomStream[] rng)
    {
        _sim = sim;
        _p = p;
        _hold = hold;
        _between = between;
        _window = window;
        _vcpus = vcpus;
        _rng = rng;
        _pv = p.PvSpin;
        int vms = vcpus.Length / p.VcpusPerVm;
        _holder = new int[vms];
        _queue = new IntRing[vms];
        _lastBoosted = new int[vms];
        for (int vm = 0; vm < vms; vm++)
        {
            _holder[vm] = -1;
            _queue[vm] = new IntRing();
            _lastBoosted[vm] = vm * p.VcpusPerVm;
        }
    }

    public KernelLockStats Stats { get; } = new();

    /// <summary>The spin stream's deadline at wall time <paramref name="t"/>, guest clock <paramref name="g"/>: an acquisition, a release, or a PLE exit.</summary>
    public void OnSpin(Vcpu v, double t, double g)
    {
        ref var s = ref v.Ple;
        int k = _p.Stream, vm = v.Index / _p.VcpusPerVm;
        switch (s.Lock)
        {
            case LockPhase.Free:
                bool counts = _window.Counts(t);
                if (counts) Stats.Acquisitions++;
                if (_holder[vm] < 0)
                {
                    Hold(v, vm, g);   // uncontended: the fast path, nothing to wait for
                    break;
                }
                if (counts) Stats.Contended++;
                _queue[vm].Enqueue(v.Index);
                s.Lock = LockPhase.Waiting;
                s.WaitFrom = t;
                // pv_wait_early's first check is at the first loop: behind a halted waiter it halts at once.
                int n = _queue[vm].Count;
                if (_pv is { } pv) s.PvSpinLeftNs = n > 1 && _vcpus[_queue[vm][n - 2]].Ple.Lock == LockPhase.PvHalted ? 0 : pv.SpinNs;
                Spin(v, g);   // it spins until the lock passes to it, or its PLE window runs out (or, PV, it halts)
                break;
            case LockPhase.Holding:
                // Release (queued_spin_unlock): the next waiter in the queue takes the lock.
                s.Lock = LockPhase.Free;
                _holder[vm] = -1;
                v.NextOccurrence[k] = g + _between.Sample(v.OccurrenceRng[k]);
                if (_queue[vm].Count > 0 && HandOver(_vcpus[_queue[vm].Dequeue()], vm, t) is { } halted)
                {
                    // __pv_queued_spin_unlock_slowpath → pv_kick: the waiter it passes the lock to has halted, so the unlocker kicks it.
                    if (_window.Counts(t)) Stats.Kicks++;
                    _sim.BeginExit(v, _pv!.SiteKick, t, g, ExitAction.PvKick, halted.Index);
                    return;
                }
                break;
            case LockPhase.Granted:
                Hold(v, vm, g);
                break;
            case LockPhase.PvHalted:
                // It left kvm_wait without the lock (an interrupt ended its halt): pv_wait_node's loop spins SPIN_THRESHOLD again.
                s.Lock = LockPhase.Waiting;
                s.PvSpinLeftNs = _pv!.SpinNs;
                Spin(v, g);
                break;
            default:
                if (s.HaltDue)
                {
                    Halt(v, vm, t, g);
                    return;
                }
                // Waiting, and a whole window of one PAUSE loop has gone by: the CPU exits; handle_pause grows the window.
                s.PvSpinLeftNs -= s.WindowNs;
                s.Grow(_p.MaxWindowNs);
                Spin(v, g);
                if (_window.Counts(t)) Stats.PauseExits++;
                _sim.BeginExit(v, _p.Site, t, g, ExitAction.LockPle, v.Index);
                return;
        }
        _sim.Resume(v, t, g);
    }

    /// <summary>The waiter's next deadline from guest clock <paramref name="g"/>: its PLE window's end, or (PV) its halt if that comes first.</summary>
    private void Spin(Vcpu v, double g)
    {
        ref var s = ref v.Ple;
        s.HaltDue = _pv is not null && s.PvSpinLeftNs <= s.WindowNs;
        v.NextOccurrence[_p.Stream] = g + (s.HaltDue ? Math.Max(0, s.PvSpinLeftNs) : s.WindowNs);
    }

    /// <summary>
    /// PV spinlocks: the waiter has spun its threshold and halts in kvm_wait (pv_wait → kvm_wait → HLT). When it runs again the
    /// spin stream is due at once: holding the lock if it was passed to it (the kick), else spinning again. The waiter queued behind
    /// it sees a halted predecessor at its next pv_wait_early check and halts too.
    /// </summary>
    private void Halt(Vcpu v, int vm, double t, double g)
    {
        ref var s = ref v.Ple;
        s.Lock = LockPhase.PvHalted;
        s.HaltDue = false;
        v.NextOccurrence[_p.Stream] = g;
        if (_window.Counts(t)) Stats.PvHalts++;
        var q = _queue[vm];
        for (int i = 0; i + 1 < q.Count; i++)
        {
            if (q[i] != v.Index) continue;
            var next = _vcpus[q[i + 1]];
            ref var ns = ref next.Ple;
            double gn = GuestClock(next, t);
            if (ns.Lock == LockPhase.Waiting && next.NextOccurrence[_p.Stream] > gn + _pv!.EarlyNs)
            {
                ns.PvSpinLeftNs = _pv.EarlyNs;
                Spin(next, gn);
                if (!next.Suspended && next.FollowUps.Count == 0) _sim.ScheduleNext(next);
            }
            break;
        }
        _sim.BeginExit(v, _pv!.SiteHalt, t, g, ExitAction.LockHalt);
    }

    /// <summary>The vCPU's guest clock at wall time <paramref name="t"/>: frozen at its exit while it is out of the guest.</summary>
    private static double GuestClock(Vcpu w, double t) => w.Suspended ? w.Exit.GuestClock : w.GuestClockAtResume + Math.Max(0, t - w.ResumeAt);

    private void Hold(Vcpu v, int vm, double g)
    {
        _holder[vm] = v.Index;
        v.Ple.Lock = LockPhase.Holding;
        v.NextOccurrence[_p.Stream] = g + _hold.Sample(_rng[v.Index]);
    }

    /// <summary>
    /// The lock passes to waiter <paramref name="w"/> at <paramref name="t"/>: its spin ends now if it runs, else at its re-entry.
    /// Returns <paramref name="w"/> when it is halted in kvm_wait (PV spinlocks): the unlocker must kick it; else null.
    /// </summary>
    private Vcpu? HandOver(Vcpu w, int vm, double t)
    {
        _holder[vm] = w.Index;
        ref var s = ref w.Ple;
        bool halted = s.Lock == LockPhase.PvHalted && w.Idle.LockWait;
        s.Lock = LockPhase.Granted;
        s.HaltDue = false;
        if (_window.Counts(t)) Stats.WaitNs += t - s.WaitFrom;
        w.NextOccurrence[_p.Stream] = GuestClock(w, t);
        if (!w.Suspended && w.FollowUps.Count == 0) _sim.ScheduleNext(w);
        return halted ? w : null;
    }

    /// <summary>KVM has handled a waiter's PAUSE exit (<paramref name="v"/>: the waiter), or an unlocker's KVM_HC_KICK_CPU (<paramref name="v"/>: the kicked waiter).</summary>
    public void OnHandled(ExitAction action, Vcpu v, double t)
    {
        if (action == ExitAction.PvKick) _sim.Idle!.Kick(v, t);
        else OnPauseExit(v, t);
    }

    /// <summary>
    /// KVM has handled waiter <paramref name="v"/>'s PAUSE exit at <paramref name="t"/>: kvm_vcpu_on_spin yields its core to
    /// the first eligible vCPU of the VM after the last boosted one — preempted (its thread scheduled out while runnable),
    /// not halted, in kernel mode (the holder, or a waiter: yield_to_kernel_mode), and a spinning one only every other time.
    /// </summary>
    private void OnPauseExit(Vcpu v, double t)
    {
        int vm = v.Index / _p.VcpusPerVm, first = vm * _p.VcpusPerVm, holder = _holder[vm];
        bool counts = _window.Counts(t);
        if (counts && holder >= 0 && _vcpus[holder].Preempted(t)) Stats.HolderPreempted++;
        for (int n = 1; n <= _p.VcpusPerVm; n++)
        {
            int j = first + (_lastBoosted[vm] - first + n) % _p.VcpusPerVm;
            var x = _vcpus[j];
            if (x == v || !x.Preempted(t) || x.Ple.Lock == LockPhase.Free) continue;
            if (x.Ple.Lock == LockPhase.Waiting)
            {
                bool eligible = x.Ple.DyEligible;
                x.Ple.DyEligible = !eligible;
                if (!eligible) continue;
            }
            if (!_sim.Host.YieldTo(v, x, t)) break;
            _lastBoosted[vm] = j;
            if (counts) Stats.PleYields++;
            break;
        }
    }
}
