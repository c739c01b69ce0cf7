using ExitSim.Engine;
using ExitSim.Randomness;
using ExitSim.Scenarios;
using ExitSim.Statistics;

namespace ExitSim.Simulation;

// The workload layer: operations run as guest tasks on the vCPUs, their disk requests and packets go
// through device queues (exits on the vCPU, work on QEMU or vhost, host storage), completions come back
// as interrupts (exits unless posted, EOIs unless the APIC is virtualised), and a vCPU with nothing to
// run executes HLT and sleeps until an interrupt wakes it (polling first if halt polling is on).
public sealed partial class Replication
{
    private readonly WorkloadModel? _workload;
    private OperationTable _ops = null!;
    private DeviceQueue[] _queues = [];
    private IrqSource[] _irqs = [];
    private HostThread[] _vhosts = [];
    private int[] _diskQueueBase = [], _nicQueueBase = [];
    private RandomStream[] _arrivalRng = [], _homeRng = [], _homeDeviceRng = [];
    private int[] _nextHome = [];
    private readonly LogHistogram _opLatency = new(), _storageLatency = new(), _wakeLatency = new();
    private double _opLatencySum;
    private long _opsDone, _diskRequests, _kicks, _interrupts, _posted, _pollHits, _wakes;

    private void BuildWorkload(SimulationModel model)
    {
        var w = _workload!;
        int vms = model.VmCount, per = model.VcpusPerVm;
        var irqs = new List<IrqSource>();
        foreach (var v in _vcpus)
        {
            v.InterruptRng = RandomStream.For(_seed, _replication, StreamId.Interrupt, v.Index);
            v.IpiSource = irqs.Count;
            irqs.Add(new IrqSource { Id = irqs.Count, Kind = IrqSource.Reschedule, Vcpu = v.Index });
            v.LocalSource = irqs.Count;
            irqs.Add(new IrqSource { Id = irqs.Count, Kind = IrqSource.LocalTimer, Vcpu = v.Index });
        }
        var queues = new List<DeviceQueue>();
        var vhosts = new List<HostThread>();
        _diskQueueBase = new int[vms];
        _nicQueueBase = new int[vms];
        for (int vm = 0; vm < vms; vm++)
        {
            foreach (var (device, isDisk) in new[] { (w.Disk, true), (w.Nic, false) })
            {
                if (device is null) continue;
                (isDisk ? _diskQueueBase : _nicQueueBase)[vm] = queues.Count;
                var backend = device.HasBackend ? new Backend(device.Channels) : null;
                for (int q = 0; q < device.Queues; q++)
                {
                    // Queue q interrupts vCPU q (mod the VM's vCPUs): one queue means every completion lands on vCPU 0.
                    int vcpu = vm * per + q % per;
                    var irq = new IrqSource { Id = irqs.Count, Kind = isDisk ? IrqSource.DiskCompletion : IrqSource.NetReceive, Vcpu = vcpu, Queue = queues.Count };
                    irqs.Add(irq);
                    HostThread thread;
                    if (device.Vhost) { thread = new HostThread(); vhosts.Add(thread); }
                    else thread = _qemus[model.QemuThreadOf(vcpu)];
                    thread.Clients++;
                    queues.Add(new DeviceQueue
                    {
                        Id = queues.Count, Device = device, IsDisk = isDisk, Thread = thread, Irq = irq, Backend = backend,
                        Rng = RandomStream.For(_seed, _replication, StreamId.Frontend, queues.Count),
                    });
                }
            }
        }
        _queues = queues.ToArray();
        _irqs = irqs.ToArray();
        _vhosts = vhosts.ToArray();
        _ops = new OperationTable();
        _homeRng = _vcpus.Select(v => RandomStream.For(_seed, _replication, StreamId.Workload, 0x10000 + v.Index)).ToArray();
        _homeDeviceRng = _vcpus.Select(v => RandomStream.For(_seed, _replication, StreamId.Device, 0x10000 + v.Index)).ToArray();
        _arrivalRng = Enumerable.Range(0, vms).Select(vm => RandomStream.For(_seed, _replication, StreamId.Arrival, vm)).ToArray();
        _nextHome = new int[vms];
    }

    private void StartWorkload()
    {
        var w = _workload!;
        int vms = _arrivalRng.Length, per = _vcpus.Length / vms;
        if (w.Kind == WorkloadKind.Closed)
        {
            for (int vm = 0; vm < vms; vm++)
                for (int c = 0; c < w.ClientsPerVm; c++)
                {
                    int client = vm * w.ClientsPerVm + c;
                    // One stream per client, so a change elsewhere does not shift what a client's operations draw.
                    int op = _ops.Add(vm * per + c % per,
                        RandomStream.For(_seed, _replication, StreamId.Workload, client),
                        RandomStream.For(_seed, _replication, StreamId.Device, client));
                    if (w.HasThink) _queue.Schedule(w.Think.Sample(_ops.Rng[op]), OpArrivalEvent, op);
                    else Arrive(op, 0);
                }
        }
        else
        {
            for (int vm = 0; vm < vms; vm++)
                _queue.Schedule(InterArrival(vm), OpenArrivalEvent, vm);
        }
    }

    private double InterArrival(int vm) => -_workload!.InterArrivalNs * Math.Log(_arrivalRng[vm].NextOpenDouble());

    private void OnWorkloadEvent(in Event e)
    {
        switch (e.Kind)
        {
            case OpArrivalEvent:
                Arrive(e.Target, e.Time);
                break;
            case OpenArrivalEvent:
            {
                int vm = e.Target, per = _vcpus.Length / _arrivalRng.Length;
                int home = vm * per + _nextHome[vm]++ % per;
                int op = _ops.Add(home, _homeRng[home], _homeDeviceRng[home]);
                _queue.Schedule(e.Time + InterArrival(vm), OpenArrivalEvent, vm);
                Arrive(op, e.Time);
                break;
            }
            case FrontendDoneEvent:
                OnFrontendDone(_queues[e.Target], e.Stamp, e.Time);
                break;
            case BackendDoneEvent:
            {
                var q = _queues[_ops.Queue[e.Target]];
                if (!q.IsDisk)
                {
                    ReceivePacket(q, e.Target, e.Time);
                    break;
                }
                q.Irq.Items.Enqueue(e.Target);
                Raise(q.Irq, e.Time);
                break;
            }
            case ActionEvent:
                OnAction(e.Target, e.Stamp, e.Time);
                break;
            case HaltEvent:
            {
                var v = _vcpus[e.Target];
                if (e.Stamp == v.Stamp) OnHaltReached(v, e.Time);
                break;
            }
        }
    }

    // ---- Operations -------------------------------------------------------------------------

    /// <summary>An operation's request reaches the VM: over the NIC, or as a wake-up inside the guest.</summary>
    private void Arrive(int op, double t)
    {
        var w = _workload!;
        var rng = _ops.Rng[op];
        int io = w.DiskIoWhole + (w.DiskIoFraction > 0 && rng.NextDouble() < w.DiskIoFraction ? 1 : 0);
        _ops.Arrival[op] = t;
        _ops.InFlight[op] = true;
        _ops.SegmentsLeft[op] = io + 1;
        _ops.SegmentTime[op] = w.Compute.Sample(rng) * w.TlbFactor / (io + 1);
        int home = _ops.Home[op];
        if (w.NetRx > 0)
        {
            var q = _queues[QueueOf(_nicQueueBase, w.Nic!, home)];
            _ops.Queue[op] = q.Id;
            if (q.Backend is not null) ToBackend(op, t);   // through the host's NIC path first
            else ReceivePacket(q, op, t);
        }
        else if (w.HasThink || w.Kind == WorkloadKind.Open)
        {
            var src = _irqs[_vcpus[home].LocalSource];
            src.Items.Enqueue(op);
            Raise(src, t);
        }
        else _vcpus[home].Ready.Enqueue(op);   // back-to-back: the next operation starts where the last ended
    }

    private int QueueOf(int[] bases, DeviceModel device, int vcpu)
    {
        int per = _vcpus.Length / _arrivalRng.Length;
        return bases[vcpu / per] + vcpu % per % device.Queues;
    }

    /// <summary>The running operation finished a compute segment: issue its next disk request, or complete it.</summary>
    private void OnOperationSegmentEnd(VcpuState v, int op, double t)
    {
        var w = _workload!;
        if (--_ops.SegmentsLeft[op] > 0)
        {
            var q = _queues[QueueOf(_diskQueueBase, w.Disk!, v.Index)];
            _ops.IssuedAt[op] = t;
            _ops.Queue[op] = q.Id;
            if (q.Outstanding < q.Device.Depth) Submit(v, q, op, t);
            else q.Blocked.Enqueue(op);
            return;
        }
        _ops.InFlight[op] = false;
        if (t >= _w0)
        {
            _opsDone++;
            _opLatency.Record(t - _ops.Arrival[op]);
            _opLatencySum += t - _ops.Arrival[op];
        }
        if (w.NetTx > 0)
        {
            var q = _queues[QueueOf(_nicQueueBase, w.Nic!, v.Index)];
            for (int i = 0; i < w.NetTx; i++)
                if (q.Device.Virtio) AddGuestWork(v, q, op * 4 + DeviceQueue.TxItem, t);
                else PushChain(v, q.Device.SiteRegister);   // e1000: QEMU transmits inside the TDT write
        }
        if (w.Kind == WorkloadKind.Open) _ops.Free(op);
        else if (w.HasThink) _queue.Schedule(t + w.Think.Sample(_ops.Rng[op]), OpArrivalEvent, op);
        else Arrive(op, t);
    }

    /// <summary>The guest driver hands a disk request to the device.</summary>
    private void Submit(VcpuState v, DeviceQueue q, int op, double t)
    {
        q.Outstanding++;
        if (t >= _w0) _diskRequests++;
        var d = q.Device;
        if (d.Virtio)
        {
            AddGuestWork(v, q, op * 4 + DeviceQueue.DiskItem, t);
            return;
        }
        // Emulated: register accesses, each emulated by QEMU; the last one starts the transfer.
        for (int i = 1; i < d.SubmitExits; i++) PushChain(v, d.SiteRegister);
        PushChain(v, d.SiteRegister, ToBackendAction, op);
    }

    /// <summary>The guest adds work to a virtqueue and notifies only if the device asked to be notified (event index).</summary>
    private void AddGuestWork(VcpuState v, DeviceQueue q, int item, double t)
    {
        q.Work.Enqueue(item);
        if (!q.NotifyArmed) return;
        q.NotifyArmed = false;
        if (t >= _w0) _kicks++;
        PushChain(v, q.Device.SiteNotify, KickAction, q.Id);
    }

    private void OnAction(int action, int arg, double t)
    {
        switch (action)
        {
            case ToBackendAction:
                ToBackend(arg, t);
                break;
            case KickAction:
            {
                var q = _queues[arg];
                if (!q.Processing && q.Work.Count > 0) StartFrontend(q, t);
                break;
            }
            case IpiAction:
            {
                var src = _irqs[_vcpus[arg].IpiSource];
                src.Sending = false;
                Raise(src, t);
                break;
            }
        }
    }

    // ---- Device front ends and back ends ----------------------------------------------------

    /// <summary>A request's packets reach the NIC's front end (QEMU or vhost), which copies them into the guest.</summary>
    private void ReceivePacket(DeviceQueue q, int op, double t)
    {
        q.Work.Enqueue(op * 4 + DeviceQueue.RxItem);
        if (!q.Processing) StartFrontend(q, t);
    }

    /// <summary>The front end takes the next item off its ring: a FIFO job on QEMU's thread or on the queue's vhost worker.</summary>
    private void StartFrontend(DeviceQueue q, double t)
    {
        q.Processing = true;
        int item = q.Work.Dequeue();
        var d = q.Device;
        double cost = d.Frontend.Sample(q.Rng);
        if ((item & 3) == DeviceQueue.RxItem)
            for (int i = 1; i < _workload!.NetRx; i++) cost += d.Frontend.Sample(q.Rng);
        var thread = q.Thread;
        double start = StartOn(thread, t), end = start + cost;
        thread.BusyUntil = end;
        thread.Busy += Clip(start, end);
        AfterJob(thread, end);
        _queue.Schedule(end, FrontendDoneEvent, q.Id, item);
    }

    private void OnFrontendDone(DeviceQueue q, int item, double t)
    {
        int op = item >> 2;
        switch (item & 3)
        {
            case DeviceQueue.DiskItem:
                ToBackend(op, t);
                break;
            case DeviceQueue.RxItem:
                q.Irq.Items.Enqueue(op);
                Raise(q.Irq, t);
                break;
            case DeviceQueue.TxItem when q.Backend is not null:
                Occupy(q.Backend, q.Device.Backend.Sample(q.Rng), t);   // on the wire; nobody waits for it
                break;
        }
        if (q.Work.Count > 0) StartFrontend(q, t);
        else
        {
            q.Processing = false;
            q.NotifyArmed = true;   // ring drained: notifications back on
        }
    }

    private void ToBackend(int op, double t)
    {
        var q = _queues[_ops.Queue[op]];
        _queue.Schedule(Occupy(q.Backend!, q.Device.Backend.Sample(_ops.DeviceRng[op]), t), BackendDoneEvent, op);
    }

    /// <summary>Takes the earliest free server of a back end from <paramref name="t"/> for <paramref name="service"/>; returns when it is done.</summary>
    private static double Occupy(Backend backend, double service, double t)
    {
        var free = backend.FreeAt;
        int server = 0;
        for (int i = 1; i < free.Length; i++)
            if (free[i] < free[server]) server = i;
        double done = Math.Max(t, free[server]) + service;
        free[server] = done;
        return done;
    }

    // ---- Interrupts -------------------------------------------------------------------------

    private void Raise(IrqSource src, double t)
    {
        if (src.Raised) return;   // already pending or being handled: its handler will take the new items too
        src.Raised = true;
        if (t >= _w0) _interrupts++;
        var w = _vcpus[src.Vcpu];
        w.PendingIrq.Enqueue(src.Id);
        if (w.Halted) { Wake(w, t); return; }
        if (w.Halting || double.IsPositiveInfinity(w.ResumeAt)) return;   // injected when it next enters
        var wl = _workload!;
        bool window = !wl.VirtualApic && wl.Masked > 0 && w.InterruptRng!.NextDouble() < wl.Masked;
        if (t >= w.ResumeAt)
        {
            double g = LeaveGuest(w, t);
            if (wl.PostedDelivery)
            {
                if (t >= _w0) _posted++;
                Resume(w, t, g);   // the handler pre-empts the guest's task without an exit
                return;
            }
            if (window) PushChain(w, wl.SiteInterruptWindow);
            BeginExit(w, wl.SiteExternalInterrupt, t, g);
        }
        else
        {
            // In root mode with a known entry: KVM injects at that entry.
            if (window) PushChain(w, wl.SiteInterruptWindow);
            Dispatch(w, w.GuestClockAtResume);
            ScheduleNext(w);
        }
    }

    /// <summary>Decides what the guest runs next: a pending interrupt's handler, the suspended or next operation, or HLT.</summary>
    private void Dispatch(VcpuState v, double g)
    {
        if (v.Task == VcpuState.HandlerTask) return;
        if (v.PendingIrq.Count > 0)
        {
            if (v.Task == VcpuState.OpTask) v.OpRemaining = v.TaskEnd - g;
            StartHandler(v, g);
            return;
        }
        if (v.Task == VcpuState.OpTask) return;
        if (v.Op >= 0)
        {
            v.Task = VcpuState.OpTask;
            v.TaskEnd = g + v.OpRemaining;
            return;
        }
        if (v.Ready.Count > 0)
        {
            v.Op = v.Ready.Dequeue();
            v.Task = VcpuState.OpTask;
            v.TaskEnd = g + _ops.SegmentTime[v.Op];
            return;
        }
        if (!v.HaltQueued)
        {
            v.HaltQueued = true;
            PushChain(v, _workload!.SiteHalt, HaltAction);
        }
    }

    private void StartHandler(VcpuState v, double g)
    {
        var wl = _workload!;
        var src = _irqs[v.PendingIrq.Dequeue()];
        v.HandlerSource = src.Id;
        v.Task = VcpuState.HandlerTask;
        v.TaskEnd = g + wl.Handler.Sample(v.InterruptRng!);
        if (src.Queue >= 0)
        {
            var d = _queues[src.Queue].Device;
            for (int i = 0; i < d.HandlerExits; i++) PushChain(v, d.SiteRegister);
        }
        if (!wl.VirtualApic) PushChain(v, wl.SiteApicWrite);   // the EOI
    }

    private void OnTaskEnd(VcpuState v, double t, double g)
    {
        v.TaskEnd = double.PositiveInfinity;
        v.Task = VcpuState.NoTask;
        if (v.HandlerSource >= 0)
        {
            var src = _irqs[v.HandlerSource];
            v.HandlerSource = -1;
            EndHandler(v, src, t);
            return;
        }
        int op = v.Op;
        v.Op = -1;
        OnOperationSegmentEnd(v, op, t);
    }

    /// <summary>The handler has done its work: deliver what its source collected, then re-enable it.</summary>
    private void EndHandler(VcpuState v, IrqSource src, double t)
    {
        var items = src.Items;
        int n = items.Count;
        for (int i = 0; i < n; i++)
        {
            int op = items.Dequeue();
            switch (src.Kind)
            {
                case IrqSource.DiskCompletion:
                    _queues[src.Queue].Outstanding--;
                    if (t >= _w0) _storageLatency.Record(t - _ops.IssuedAt[op]);
                    MakeReady(v, op);
                    break;
                case IrqSource.NetReceive:
                    MakeReady(v, op);
                    break;
                default:
                    v.Ready.Enqueue(op);
                    break;
            }
        }
        src.Raised = false;
        if (src.Kind == IrqSource.DiskCompletion)
        {
            // blk-mq restarts the queue from the completion path: tags freed here go to waiting requests.
            var q = _queues[src.Queue];
            while (q.Outstanding < q.Device.Depth && q.Blocked.Count > 0) Submit(v, q, q.Blocked.Dequeue(), t);
        }
    }

    /// <summary>
    /// Wakes an operation's thread on its own vCPU. A busy vCPU just gets it on its run queue (the guest
    /// scheduler enqueues remotely); an idle one must be woken by a reschedule IPI.
    /// </summary>
    private void MakeReady(VcpuState v, int op)
    {
        int home = _ops.Home[op];
        var h = _vcpus[home];
        if (home == v.Index || !(h.Halted || h.Halting || h.HaltQueued)) { h.Ready.Enqueue(op); return; }
        var src = _irqs[h.IpiSource];
        src.Items.Enqueue(op);
        if (src.Raised || src.Sending) return;   // an IPI is already on its way: the wake list is shared
        src.Sending = true;
        PushChain(v, _workload!.SiteApicWrite, IpiAction, home);   // the sender's ICR write exits even with APICv
    }

    // ---- Idle -------------------------------------------------------------------------------

    /// <summary>Work arrived between queuing the HLT and reaching it: the guest would not have halted.</summary>
    private static bool HasWork(VcpuState v) => v.PendingIrq.Count > 0 || v.Task != VcpuState.NoTask || v.Op >= 0 || v.Ready.Count > 0;

    private void BeginHalt(VcpuState v, int site, double t, double g, double save, double handle)
    {
        v.HaltQueued = false;
        if (HasWork(v))
        {
            Resume(v, t, g);
            return;
        }
        v.Halting = true;
        Suspend(v, site, t, g, save, handle, NoAction, 0);
        _queue.Schedule(t + save + handle, HaltEvent, v.Index, v.Stamp);
    }

    /// <summary>KVM is about to block the vCPU: unless an interrupt is already pending (kvm_vcpu_check_block).</summary>
    private void OnHaltReached(VcpuState v, double t)
    {
        if (v.PendingIrq.Count > 0) { FinishHalt(v, t, 0); return; }
        v.Halting = false;
        v.Halted = true;
        v.HaltStart = t;
        v.HaltFrom = t;
        if (_contended) OnHalted(v, t);
    }

    private void Wake(VcpuState v, double t)
    {
        var wl = _workload!;
        AccountHalt(v, t);
        bool polled = t - v.HaltStart <= wl.HaltPollNs;
        if (t >= _w0) { _wakes++; if (polled) _pollHits++; }
        // Caught while polling: straight back in. Blocked: a trip through the scheduler first.
        double wake = polled ? 0 : wl.Wake.Sample(v.InterruptRng!);
        if (_contended && !polled) Claim(ref v.RunQuantum, ref v.StolenUntil, t);   // blocked: it needs a core again
        v.Halted = false;
        FinishHalt(v, t, wake);
    }

    /// <summary>Charges the halted time not yet accounted up to <paramref name="t"/>: polling first, then blocked.
    /// Polling the host scheduler did not let it do (descheduled) is steal.</summary>
    private void AccountHalt(VcpuState v, double t)
    {
        double pollEnd = Math.Min(t, v.HaltStart + _workload!.HaltPollNs);
        double from = v.HaltFrom;
        if (v.StolenUntil > from)
        {
            double stolen = Math.Min(pollEnd, v.StolenUntil);
            if (stolen > from)
            {
                v.Time.Steal += Clip(from, stolen);
                from = stolen;
            }
        }
        v.Time.Poll += Clip(from, pollEnd);
        v.Time.Idle += Clip(Math.Max(from, pollEnd), t);
        v.HaltFrom = t;
    }

    private void FinishHalt(VcpuState v, double t, double wake)
    {
        v.Halting = false;
        int site = v.PendingSite;
        double reenter = _sites[site].Reenter.Sample(v.CostRng[site]);
        double halted = t - (v.PendingStart + v.PendingSave + v.PendingHandle);
        v.Time.Wait += Clip(t, t + wake);
        v.Time.Reenter += Clip(t + wake, t + wake + reenter);
        if (v.PendingStart >= _w0)
        {
            _acc[_sites[site].Reason].Record(v.PendingSave, v.PendingHandle, wake, 0, reenter);
            if (halted > 0) _wakeLatency.Record(wake + reenter);
        }
        _timeline[(int)(v.PendingStart * _binsPerNs)]++;
        _sink?.OnExit(new ExitRecord(v.Index, _sites[site].Reason, v.PendingStart, v.PendingSave, v.PendingHandle, wake, 0, reenter, halted));
        Resume(v, t + wake + reenter, v.PendingGuestClock);
    }

    private WorkloadResult WorkloadResult(double window)
    {
        // Operations still in flight at the end count in the latency distribution with their age so far:
        // an overloaded VM's growing backlog must show in its p99, not only the operations it finished.
        long inFlight = 0;
        for (int op = 0; op < _ops.Count; op++)
            if (_ops.InFlight[op])
            {
                inFlight++;
                _opLatency.Record(_w1 - _ops.Arrival[op]);
            }
        return Result(window, inFlight);
    }

    private WorkloadResult Result(double window, long inFlight) => new()
    {
        OperationsInFlightAtEnd = inFlight,
        OperationsCompleted = _opsDone,
        OperationLatency = _opLatency,
        OperationLatencySum = _opLatencySum,
        StorageLatency = _storageLatency,
        WakeLatency = _wakeLatency,
        DiskRequests = _diskRequests,
        Notifies = _kicks,
        Interrupts = _interrupts,
        PostedInterrupts = _posted,
        Wakes = _wakes,
        PolledWakes = _pollHits,
        VhostUtilisation = _vhosts.Select(x => x.Busy / window).ToArray(),
    };
}
