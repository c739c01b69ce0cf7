using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// vhost-user-blk: the disk's rings are served by a separate process (qemu-storage-daemon's vhost-user-blk export, or
/// SPDK) through shared guest memory, with eventfds for kicks and calls as vhost uses.
/// </summary>
public sealed class VhostUserBlk : Optimisation
{
    public override string Name => "vhost-user-blk";
    public override string Description => "the virtio disk is served by a vhost-user back-end process (qemu-storage-daemon, SPDK) instead of QEMU";
    public override string Mechanism =>
        "the disk's per-request work (devices.disk.vhost, the daemon's time) runs in the back end's event loop: kicks reach it through the ioeventfd KVM signals (no QEMU), " +
        "completions go to the guest through irqfd; the loop polls adaptively like a QEMU IOThread (devices.disk.poll_max; qemu-storage-daemon runs the export in an IOThread), " +
        "so kicks arriving while it polls cost no exit; needs a virtio disk and devices.disk.vhost";
    public override string Summary =>
        "A separate vhost-user back end (qemu-storage-daemon, SPDK) serves the disk's rings, kicked by ioeventfd and polling between requests, so QEMU drops out of the I/O path.";
    public override string Source => "QEMU docs/interop/vhost-user.rst, block/export/vhost-user-blk-server.c; VIRTIO 1.x vhost-user back ends";

    public override Scenario Apply(Scenario s) =>
        s.Devices.Disk is { } d ? s with { Devices = s.Devices with { Disk = d with { Dataplane = Dataplane.VhostUser } } } : s;
}
