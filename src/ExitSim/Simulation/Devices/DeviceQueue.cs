using ExitSim.Randomness;
using ExitSim.Simulation.Host;
using ExitSim.Simulation.Interrupts;

namespace ExitSim.Simulation.Devices;

/// <summary>
/// One queue of a VM's device: the ring of work its front end (QEMU or a vhost worker) has not taken yet, the
/// device's tags, and virtio's notification suppression. A virtio front end processing its ring has notifications
/// disabled, so work added meanwhile needs no notify: kicks per request fall as the queue gets busier (the event-index
/// rule of VIRTIO 1.x §2.7.10, not a factor).
/// </summary>
internal sealed class DeviceQueue
{
    /// <summary>Kinds of work item, stored as op * 4 + kind.</summary>
    public const int DiskItem = 0, RxItem = 1, TxItem = 2, CompleteItem = 3;

    private readonly IntRing _work = new();
    private bool _notifyArmed;

    public DeviceQueue(int id, DeviceModel device, bool isDisk, HostThread? thread, Backend? backend, RandomStream rng, int irqId, int vcpu)
    {
        Id = id;
        Device = device;
        IsDisk = isDisk;
        Thread = thread;
        Backend = backend;
        Rng = rng;
        _notifyArmed = !NeverNotified;
        Irq = new IrqSource(irqId, isDisk ? IrqKind.DiskCompletion : IrqKind.NetReceive, vcpu, this);
    }

    public int Id { get; }
    public DeviceModel Device { get; }
    public bool IsDisk { get; }
    /// <summary>Its front end: the VM's QEMU thread, a vhost worker, an IOThread, a vhost-user daemon's or polling back end's thread; none for a passed-through device.</summary>
    public HostThread? Thread { get; }
    public Backend? Backend { get; }
    /// <summary>Front-end times and transmit times on the wire.</summary>
    public RandomStream Rng { get; }
    /// <summary>Its completion (disk) or receive (NIC) vector.</summary>
    public IrqSource Irq { get; }
    /// <summary>The front end is working through the ring.</summary>
    public bool Processing { get; private set; }
    public bool HasWork => _work.Count > 0;

    private int _tagsInUse;

    /// <summary>Requests waiting in the guest's block layer for a free tag.</summary>
    public readonly IntRing Blocked = new();
    /// <summary>The device accepts another request: fewer submitted and not yet completed by the guest's handler than its depth.</summary>
    public bool HasFreeTag => _tagsInUse < Device.Depth;
    public void TakeTag() => _tagsInUse++;
    public void FreeTag() => _tagsInUse--;

    /// <summary>
    /// The guest adds work at <paramref name="t"/>; true when it must notify (the device has notifications enabled), which
    /// disables them. A polling IOThread keeps them disabled while it polls: no notify then.
    /// </summary>
    public bool Add(int item, double t)
    {
        _work.Enqueue(item);
        if (!_notifyArmed || Thread!.Polls(t)) return false;
        _notifyArmed = false;
        return true;
    }

    /// <summary>Work that arrives from the host side (a received packet): no notify involved.</summary>
    public void AddFromHost(int item) => _work.Enqueue(item);

    /// <summary>The front end takes the next item.</summary>
    public int Take()
    {
        Processing = true;
        return _work.Dequeue();
    }

    /// <summary>The front end found the ring empty: it stops, and re-enables notifications.</summary>
    public void Drained()
    {
        Processing = false;
        _notifyArmed = !NeverNotified;
    }

    /// <summary>
    /// A NIC's vhost-user back end polls all the time (OVS-DPDK's PMD threads) and keeps VRING_USED_F_NO_NOTIFY set: the
    /// guest never kicks it. A disk's vhost-user daemon polls adaptively like an IOThread (<see cref="HostThread.Polls"/>).
    /// </summary>
    private bool NeverNotified => !IsDisk && Device.Dataplane == Scenarios.Dataplane.VhostUser;
}
