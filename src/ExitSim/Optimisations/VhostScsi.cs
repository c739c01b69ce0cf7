using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// vhost-scsi: a virtio-scsi disk's rings served by a kernel worker in front of the in-kernel LIO target
/// (drivers/vhost/scsi.c, QEMU -device vhost-scsi-pci), instead of QEMU's virtio-scsi emulation.
/// </summary>
public sealed class VhostScsi : Optimisation
{
    public override string Name => "vhost-scsi";
    public override string Description => "the virtio-scsi disk is served by a vhost-scsi kernel worker (in-kernel LIO target) instead of QEMU";
    public override string Mechanism =>
        "the disk's per-request work (devices.disk.vhost) runs in the device's vhost kernel worker, kicked through ioeventfd and completing through irqfd, instead of " +
        "QEMU's main loop or an IOThread: no queueing behind userspace exits and no QEMU SCSI emulation; the worker does not poll; needs a virtio-scsi disk and devices.disk.vhost";
    public override string Summary =>
        "A vhost-scsi kernel worker serves the virtio-scsi rings, so requests skip QEMU entirely (ioeventfd in, irqfd out).";
    public override string Source => "Linux drivers/vhost/scsi.c (vhost_scsi_handle_vq, one vhost_worker per device); QEMU hw/scsi/vhost-scsi.c";

    public override Scenario Apply(Scenario s) =>
        s.Devices.Disk is { } d ? s with { Devices = s.Devices with { Disk = d with { Dataplane = Dataplane.Vhost } } } : s;
}
