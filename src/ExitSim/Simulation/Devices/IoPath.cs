using ExitSim.Distributions;
using ExitSim.Scenarios;
using ExitSim.Engine;
using ExitSim.Randomness;
using ExitSim.Simulation.Host;
using ExitSim.Simulation.Interrupts;
using ExitSim.Simulation.Vcpus;
using ExitSim.Statistics;

namespace ExitSim.Simulation.Devices;

/// <summary>
/// The way of a disk request or a packet through a VM's devices. The guest driver submits to a
/// <see cref="DeviceQueue"/>: an emulated model through register exits (each emulated by QEMU, the last one
/// starting the transfer), a virtio one by adding to the ring and notifying if the device asked for it. The front
/// end (QEMU's thread, an IOThread or a vhost worker) takes one item at a time, the <see cref="Backend"/> serves it, and the
/// completion comes back as an interrupt. Received packets pass the NIC's back end (if any) and front end the
/// other way; a virtio transmit occupies the back end after the front end, and nothing waits for it.
/// </summary>
internal sealed class IoPath
{
    private readonly Replication _sim;
    private readonly EventQueue _queue;
    private readonly MeasurementWindow _window;
    private readonly DeviceQueue[] _queues;
    private readonly HostThread[] _vhosts, _iothreads, _pmds;
    private readonly int[] _diskQueueBase, _nicQueueBase;
    private readonly DeviceModel? _disk, _nic;
    private readonly int _vcpusPerVm, _netRx;
    private readonly bool _pollMode;
    /// <summary>A sleeping thread-pool worker's wake-up (aio=threads): the scheduler's, as for any blocked thread.</summary>
    private readonly Sampler _wake;

    public IoPath(Replication sim, EventQueue queue, MeasurementWindow window, SimulationModel model, HostThread[] qemus,
        InterruptController interrupts, ulong seed, int replication)
    {
        _sim = sim;
        _queue = queue;
        _window = window;
        var w = model.Workload!;
        _disk = w.Disk;
        _wake = w.Wake;
        _nic = w.Nic;
        _netRx = w.NetRx;
        _pollMode = w.PollModeGuest;
        _vcpusPerVm = model.VcpusPerVm;
        var queues = new List<DeviceQueue>();
        var vhosts = new List<HostThread>();
        var iothreads = new List<HostThread>();
        var pmds = new List<HostThread>();
        _diskQueueBase = new int[model.VmCount];
        _nicQueueBase = new int[model.VmCount];
        for (int vm = 0; vm < model.VmCount; vm++)
        {
            foreach (var (device, isDisk) in new[] { (w.Disk, true), (w.Nic, false) })
            {
                if (device is null) continue;
                (isDisk ? _diskQueueBase : _nicQueueBase)[vm] = queues.Count;
                var own = OwnThreads(device, isDisk, window, iothreads, vhosts);
                var backend = device.HasBackend ? new Backend(Channels(device, own.Length)) : null;
                for (int q = 0; q < device.Queues; q++)
                {
                    // Queue q interrupts vCPU q (mod the VM's vCPUs): one queue means every completion lands on vCPU 0.
                    int vcpu = vm * _vcpusPerVm + q % _vcpusPerVm;
                    // A passed-through device has no front end: no host thread serves its queues.
                    HostThread? thread = null;
                    if (device.Passthrough) { }
                    // A NIC's vhost-user: a polling back-end thread per queue on a core of its own (OVS-DPDK pmd-cpu-mask): never asleep, never kicked.
                    else if (device.Dataplane == Dataplane.VhostUser && !isDisk) { thread = new HostThread(window); pmds.Add(thread); }
                    else if (device.Dataplane == Dataplane.Vhost && !isDisk) { thread = new HostThread(window); vhosts.Add(thread); }
                    else thread = own.Length > 0 ? own[q % own.Length] : qemus[model.QemuThreadOf(vcpu)];
                    thread?.AddClient();
                    var dq = new DeviceQueue(queues.Count, device, isDisk, thread, backend,
                        RandomStream.For(seed, replication, StreamId.Frontend, queues.Count), interrupts.NextId, vcpu);
                    interrupts.Add(dq.Irq);
                    queues.Add(dq);
                }
            }
        }
        _queues = queues.ToArray();
        _vhosts = vhosts.ToArray();
        _iothreads = iothreads.ToArray();
        _pmds = pmds.ToArray();
    }

    /// <summary>
    /// The threads that serve a device's queues between them (queue q → thread q mod count), or none when the queues go
    /// to the VM's QEMU main loop or to a vhost-net worker each. IOThreads: one for <c>iothread=</c>, several with
    /// iothread-vq-mapping (hw/block/virtio-blk.c apply_iothread_vq_mapping assigns the queues round-robin); each polls
    /// adaptively. A disk's vhost-user: the daemon's one event loop for the device (qemu-storage-daemon's export runs in one
    /// IOThread, polling as QEMU's do). vhost-scsi: one kernel worker per device (drivers/vhost/scsi.c; a worker per
    /// queue needs VHOST_NEW_WORKER, Linux 6.5, and QEMU's worker_per_virtqueue, not modelled).
    /// </summary>
    private static HostThread[] OwnThreads(DeviceModel device, bool isDisk, MeasurementWindow window, List<HostThread> iothreads, List<HostThread> vhosts)
    {
        int n = device.Dataplane switch
        {
            Dataplane.Iothread => Math.Min(device.Iothreads, device.Queues),
            Dataplane.VhostUser when isDisk => 1,
            Dataplane.Vhost when device.Kind == DeviceModelKind.VirtioScsi => 1,
            _ => 0,
        };
        var own = new HostThread[n];
        bool polls = device.Dataplane is Dataplane.Iothread or Dataplane.VhostUser && device.PollMaxNs > 0;
        for (int i = 0; i < n; i++)
        {
            own[i] = new HostThread(window) { Poll = polls ? new AioPoll(device.PollMaxNs) : null };
            (device.Dataplane == Dataplane.Vhost ? vhosts : iothreads).Add(own[i]);
        }
        return own;
    }

    /// <summary>
    /// Requests the storage serves at once. With aio=threads each AioContext's thread pool runs at most 64 workers
    /// (util/thread-pool.c, thread-pool-max default 64), each doing one blocking request, so the pools cap the channels.
    /// </summary>
    private static int Channels(DeviceModel device, int ownThreads) =>
        device.Aio == AioEngine.Threads ? Math.Min(device.Channels, ThreadPoolMax * Math.Max(1, ownThreads)) : device.Channels;

    private const int ThreadPoolMax = 64;

    public HostThread[] VhostThreads => _vhosts;
    public HostThread[] IoThreads => _iothreads;
    /// <summary>vhost-user back ends' polling threads, each on a dedicated core (out of the host scheduler's cores), busy all the time.</summary>
    public HostThread[] PmdThreads => _pmds;
    public long DiskRequests { get; private set; }
    /// <summary>virtio notifies (kicks) the guest sent.</summary>
    public long Notifies { get; private set; }
    /// <summary>Work the guest added that a polling IOThread found without a notify.</summary>
    public long PolledAdds { get; private set; }
    /// <summary>From the guest issuing a disk request to its completion handler (queueing in the guest included).</summary>
    public LogHistogram StorageLatency { get; } = new();

    public DeviceQueue DiskQueueOf(int vcpu) => QueueOf(_diskQueueBase, _disk!, vcpu);
    public DeviceQueue NicQueueOf(int vcpu) => QueueOf(_nicQueueBase, _nic!, vcpu);

    /// <summary>Each vCPU submits to its queue (mod the device's queues) of its own VM.</summary>
    private DeviceQueue QueueOf(int[] bases, DeviceModel device, int vcpu) =>
        _queues[bases[vcpu / _vcpusPerVm] + vcpu % _vcpusPerVm % device.Queues];

    /// <summary>A disk request from the guest: submitted if the queue has a free tag, else it waits in the block layer.</summary>
    public void Issue(Vcpu v, DeviceQueue q, int op, double t)
    {
        if (q.HasFreeTag) Submit(v, q, op, t);
        else q.Blocked.Enqueue(op);
    }

    /// <summary>The guest driver hands a disk request to the device.</summary>
    private void Submit(Vcpu v, DeviceQueue q, int op, double t)
    {
        q.TakeTag();
        if (_window.Counts(t)) DiskRequests++;
        var d = q.Device;
        if (d.Virtio)
        {
            AddFromGuest(v, q, op * 4 + DeviceQueue.DiskItem, t);
            return;
        }
        if (d.Passthrough)
        {
            // The NVMe doorbell is in a BAR mapped into the guest: no exit; the drive fetches the command itself.
            ToBackEnd(op, t);
            return;
        }
        // Emulated: register accesses, each emulated by QEMU; the last one starts the transfer.
        for (int i = 1; i < d.SubmitExits; i++) v.FollowUps.Push(d.SiteRegister);
        v.FollowUps.Push(d.SiteRegister, ExitAction.ToBackEnd, op);
    }

    /// <summary>The guest sends a packet: a virtio one goes on the ring; an e1000 transmits inside its TDT write, which QEMU emulates.</summary>
    public void Transmit(Vcpu v, DeviceQueue q, int op, double t)
    {
        if (q.Device.Virtio) AddFromGuest(v, q, op * 4 + DeviceQueue.TxItem, t);
        else if (q.Device.Passthrough) q.Backend?.Occupy(q.Device.Backend.Sample(q.Rng), t);   // tail write mapped: the VF sends it
        else v.FollowUps.Push(q.Device.SiteRegister);
    }

    /// <summary>The guest adds work to a virtqueue and notifies only if the device asked to be notified (event index).</summary>
    private void AddFromGuest(Vcpu v, DeviceQueue q, int item, double t)
    {
        if (q.Add(item, t))
        {
            if (_window.Counts(t)) Notifies++;
            v.FollowUps.Push(q.Device.SiteNotify, ExitAction.Kick, q.Id);
        }
        else if (!q.Processing && q.Thread!.Polls(t))
        {
            // The IOThread polling the ring sees the new descriptor: no notify, no wake-up.
            if (_window.Counts(t)) PolledAdds++;
            StartFrontEnd(q, t, kicked: true);
        }
    }

    /// <summary>KVM has handled the notify (ioeventfd): the front end wakes up unless it is already at work.</summary>
    public void OnKick(int queue, double t)
    {
        var q = _queues[queue];
        if (!q.Processing && q.HasWork) StartFrontEnd(q, t, kicked: true);
    }

    /// <summary>A request reaches the VM over the NIC: through the host's NIC path first, if it has one.</summary>
    public void Receive(DeviceQueue q, int op, double t)
    {
        if (q.Backend is not null) ToBackEnd(op, t);
        else ReceivePacket(q, op, t);
    }

    /// <summary>A request's packets reach the NIC's front end (QEMU or vhost), which copies them into the guest.</summary>
    private void ReceivePacket(DeviceQueue q, int op, double t)
    {
        if (q.Device.Passthrough)
        {
            // The VF DMAs the packets into the guest's ring and raises its MSI-X vector (or a poll-mode guest finds them). An event of
            // its own, not a call: a request can arrive from inside a vCPU's own event (a client with no think time).
            _queue.Schedule(t, EventKind.FrontEndDone, q.Id, op * 4 + DeviceQueue.RxItem);
            return;
        }
        q.AddFromHost(op * 4 + DeviceQueue.RxItem);
        if (!q.Processing) StartFrontEnd(q, t, kicked: true);
    }

    /// <summary>The front end takes the next item off its ring: a FIFO job on QEMU's thread or on the queue's vhost worker,
    /// which a kick (<paramref name="kicked"/>) may have to wake first.</summary>
    private void StartFrontEnd(DeviceQueue q, double t, bool kicked = false)
    {
        int item = q.Take();
        var d = q.Device;
        double cost = d.Frontend.Sample(q.Rng);
        if ((item & 3) == DeviceQueue.RxItem)
            for (int i = 1; i < _netRx; i++) cost += d.Frontend.Sample(q.Rng);
        var thread = q.Thread!;
        double start = thread.Start(t, kicked), end = start + cost;
        thread.Run(start, end);
        _queue.Schedule(end, EventKind.FrontEndDone, q.Id, item);
    }

    public void OnFrontEndDone(int queue, int item, double t)
    {
        var q = _queues[queue];
        int op = item >> 2;
        if ((item & 3) == DeviceQueue.CompleteItem)
        {
            _sim.Interrupts!.Deliver(q.Irq, op, t);   // the completion job is not ring work: the ring's state is untouched
            return;
        }
        switch (item & 3)
        {
            case DeviceQueue.DiskItem:
                ToBackEnd(op, t);
                break;
            case DeviceQueue.RxItem:
                Arrived(q, op, t);
                break;
            case DeviceQueue.TxItem when q.Backend is not null:
                q.Backend.Occupy(q.Device.Backend.Sample(q.Rng), t);   // on the wire; nobody waits for it
                break;
        }
        if (q.Device.Passthrough) return;   // no front end: the device itself put the packets in the guest's ring
        if (q.HasWork) StartFrontEnd(q, t);
        else q.Drained();   // ring empty: notifications back on
    }

    /// <summary>Packets are in the guest's receive ring: the queue's interrupt, or a poll-mode driver that sees them.</summary>
    private void Arrived(DeviceQueue q, int op, double t)
    {
        if (_pollMode) _sim.Guest!.Polled(op, t);
        else _sim.Interrupts!.Deliver(q.Irq, op, t);
    }

    /// <summary>The operation's request goes to its queue's back end.</summary>
    public void ToBackEnd(int op, double t)
    {
        var ops = _sim.Ops!;
        var q = _queues[ops.Queue[op]];
        double service = q.Device.Backend.Sample(ops.DeviceRng[op]);
        // aio=threads: thread_pool_submit_aio queues the request and posts the pool's semaphore; an idle worker sleeps in
        // qemu_sem_timedwait and must be woken first (util/thread-pool.c worker_thread).
        double wake = q.Device.Aio == AioEngine.Threads ? _wake.Sample(ops.DeviceRng[op]) : 0;
        _queue.Schedule(q.Backend!.Occupy(service, t, wake), EventKind.BackEndDone, op);
    }

    public void OnBackEndDone(int op, double t)
    {
        var q = _queues[_sim.Ops!.Queue[op]];
        if (!q.IsDisk) ReceivePacket(q, op, t);
        else if (q.Device.Aio == AioEngine.Unmodelled) _sim.Interrupts!.Deliver(q.Irq, op, t);   // the completion
        else Complete(q, op, t);
    }

    /// <summary>
    /// With an AIO engine the completion comes back to the AioContext's thread first: an eventfd (linux-aio's
    /// EventNotifier, io_uring's CQ eventfd, or the thread pool's bottom half through aio_notify) that wakes the thread
    /// unless it is busy or still polling (qemu_laio_poll_cb, qemu_luring_poll_cb and the AioContext notifier's poll
    /// handler look without a syscall). It runs the completion (<c>complete</c>), then raises the guest's interrupt by irqfd.
    /// </summary>
    private void Complete(DeviceQueue q, int op, double t)
    {
        var thread = q.Thread!;
        double start = thread.Start(t, kicks: true), end = start + q.Device.Complete!.Sample(q.Rng);
        thread.Run(start, end);
        _queue.Schedule(end, EventKind.FrontEndDone, q.Id, op * 4 + DeviceQueue.CompleteItem);
    }

    /// <summary>The completion handler retires a disk request: its tag is free again.</summary>
    public void Completed(DeviceQueue q, int op, double t)
    {
        q.FreeTag();
        if (_window.Counts(t)) StorageLatency.Record(t - _sim.Ops!.IssuedAt[op]);
    }

    /// <summary>blk-mq restarts the queue from the completion path: tags freed by the handler go to waiting requests.</summary>
    public void Restart(Vcpu v, DeviceQueue q, double t)
    {
        while (q.HasFreeTag && q.Blocked.Count > 0) Submit(v, q, q.Blocked.Dequeue(), t);
    }
}
