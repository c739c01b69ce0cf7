namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// What the guest kernel runs on a vCPU, as a task on the vCPU's guest clock (so pre-emption by exits keeps the
/// task's remaining work): a pending interrupt's handler first, then the operation it suspended, then the run queue
/// (FIFO, no time slicing); with none it executes HLT — except in a poll-mode guest (<paramref name="pollMode"/>, a DPDK
/// application), whose threads spin in the guest over their rings instead: 100 % guest time, never a HLT.
/// </summary>
internal sealed class GuestScheduler(Replication sim, Vcpu[] vcpus, bool pollMode)
{
    /// <summary>Decides what the guest runs next, at guest clock <paramref name="g"/>.</summary>
    public void Dispatch(Vcpu v, double g)
    {
        if (v.Task == GuestTask.Handler) return;
        if (v.PendingIrq.Count > 0)
        {
            if (v.Task == GuestTask.Operation) v.OpRemaining = v.TaskEnd - g;
            sim.Interrupts!.StartHandler(v, g);
            return;
        }
        if (v.Task == GuestTask.Operation) return;
        if (v.Op >= 0)
        {
            v.Task = GuestTask.Operation;
            v.TaskEnd = g + v.OpRemaining;
            return;
        }
        if (v.Ready.Count > 0)
        {
            v.Op = v.Ready.Dequeue();
            v.Task = GuestTask.Operation;
            v.TaskEnd = g + sim.Ops!.SegmentTime[v.Op];
            return;
        }
        if (!pollMode) sim.Idle!.QueueHlt(v);
    }

    /// <summary>The running task reached the end of its segment at wall time <paramref name="t"/>.</summary>
    public void OnTaskEnd(Vcpu v, double t)
    {
        v.TaskEnd = double.PositiveInfinity;
        v.Task = GuestTask.None;
        if (v.HandlerSource >= 0)
        {
            sim.Interrupts!.EndHandler(v, t);
            return;
        }
        int op = v.Op;
        v.Op = -1;
        sim.Ops!.OnSegmentEnd(v, op, t);
    }

    /// <summary>
    /// Wakes an operation's thread on its own vCPU. A busy vCPU just gets it on its run queue (the guest
    /// scheduler enqueues remotely); an idle one must be woken by a reschedule IPI, unless its idle loop polls.
    /// </summary>
    public void MakeReady(Vcpu v, int op, double t)
    {
        int home = sim.Ops!.Home[op];
        var h = vcpus[home];
        if (home != v.Index && (h.Idle.InGuest == Idle.GuestIdleKind.Polling || h.Idle.PollQueued))
        {
            // Its idle loop polls with TIF_POLLING_NRFLAG set: the waker sets need_resched and sends no IPI (set_nr_and_not_polling).
            h.Ready.Enqueue(op);
            sim.Idle!.Guest.NeedResched(h, t);
            return;
        }
        // A vCPU halted in kvm_wait (PV spinlocks) is inside a task, not idle: the wakee just joins its run queue.
        bool idle = !h.Idle.LockWait && (h.Idle.Halted || h.Idle.Halting || h.Idle.HltQueued || h.Idle.InGuest == Idle.GuestIdleKind.Halted);
        if (home == v.Index || !idle)
        {
            h.Ready.Enqueue(op);
            if (pollMode && home != v.Index) Nudge(h, t);
            return;
        }
        sim.Interrupts!.SendIpi(v, home, op, t);
    }

    /// <summary>
    /// A poll-mode driver finds a received request in its ring (VRING_AVAIL_F_NO_INTERRUPT: no interrupt): the operation is
    /// ready on its home vCPU, whose spinning thread takes it at once. Assumed: each vCPU runs an lcore polling the queue its
    /// flows hash to, so a request lands on its home vCPU.
    /// </summary>
    public void Polled(int op, double t)
    {
        var h = vcpus[sim.Ops!.Home[op]];
        h.Ready.Enqueue(op);
        Nudge(h, t);
    }

    /// <summary>A vCPU spinning in the guest with nothing to run sees new work now; one that is out of the guest or busy takes it when it next dispatches.</summary>
    private void Nudge(Vcpu h, double t)
    {
        if (h.Task != GuestTask.None || h.Suspended || !h.InGuest(t)) return;
        sim.Resume(h, t, h.LeaveGuest(t));
    }

    /// <summary>Work arrived between queuing an HLT and reaching it: the guest would not have halted.</summary>
    public static bool HasWork(Vcpu v) => v.PendingIrq.Count > 0 || v.Task != GuestTask.None || v.Op >= 0 || v.Ready.Count > 0;
}
