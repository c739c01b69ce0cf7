using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// vhost-net: a virtio-net NIC's queues are served by a kernel worker instead of QEMU (drivers/vhost/net.c). Only the
/// NIC: mainline Linux has no vhost-blk, so a disk gets its own thread from <see cref="Iothread"/> instead.
/// </summary>
public sealed class Vhost : Optimisation
{
    public override string Name => "vhost";
    public override string Description => "virtio-net queues served by a vhost-net kernel worker per queue instead of QEMU's main loop (NIC only: no vhost-blk upstream)";
    public override string Mechanism =>
        "the NIC's per-packet work moves from the QEMU thread (shared with every userspace exit of the VM) to its own kernel thread, fed by ioeventfd and answering by irqfd: " +
        "less work per packet and no queueing behind other exits; needs a virtio-net NIC (mainline Linux has no vhost-blk: for a disk see iothread, vhost-scsi, vhost-user-blk)";
    public override string Summary =>
        "A vhost-net kernel worker per queue drains the NIC's virtqueues instead of the VM's shared QEMU thread, so packet work is cheaper and no longer queues behind other userspace exits.";
    public override string Source => "Linux drivers/vhost/net.c (vhost-net; drivers/vhost has net, scsi and vsock, no blk); docs/kvm-facts.md §2.4 (ioeventfd/irqfd)";

    public override Scenario Apply(Scenario s) =>
        s.Devices.Nic is { } n && !Model.DeviceModels.Passthrough(n.Model) ? s with { Devices = s.Devices with { Nic = n with { Dataplane = Dataplane.Vhost } } } : s;
}
