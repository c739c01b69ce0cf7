using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// A QEMU IOThread for the virtio disk (<c>-object iothread,id=io0 -device virtio-blk-pci,iothread=io0</c>): the
/// same request code runs on its own thread and AioContext instead of the main loop under the BQL.
/// </summary>
public sealed class Iothread : Optimisation
{
    public override string Name => "iothread";
    public override string Description => "the virtio disk's queues run in a QEMU IOThread (iothread=) instead of QEMU's main loop";
    public override string Mechanism =>
        "the disk's per-request work (devices.disk.qemu: pop, map, submit) moves from the VM's QEMU main loop, which every userspace exit also needs, to a dedicated IOThread " +
        "woken by the queue's ioeventfd and completing through irqfd: the same work per request, but no queueing behind other exits; between requests it polls its queues " +
        "adaptively (devices.disk.poll_max, QEMU's poll-max-ns), so under load new requests need no notify; needs a virtio-blk/scsi disk";
    public override string Summary =>
        "A QEMU IOThread runs the virtio disk's requests on its own thread, so they no longer queue behind the VM's other userspace exits on the main loop.";
    public override string Source => "QEMU docs/devel/multiple-iothreads.rst, hw/block/dataplane/virtio-blk.c (host notifier in the IOThread's AioContext, virtio_notify_irqfd); util/aio-posix.c adjust_polling_time";

    public override Scenario Apply(Scenario s) =>
        s.Devices.Disk is { } d ? s with { Devices = s.Devices with { Disk = d with { Dataplane = Dataplane.Iothread } } } : s;
}
