using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>vhost-net / vhost-blk: the virtqueues are served by a kernel worker instead of QEMU.</summary>
public sealed class Vhost : Optimisation
{
    public override string Name => "vhost";
    public override string Description => "virtqueues served by a vhost kernel worker per queue instead of QEMU's main loop";
    public override string Mechanism =>
        "the device's per-request work moves from the QEMU thread (shared with every userspace exit of the VM) to its own kernel thread, fed by ioeventfd and answering by irqfd: " +
        "less work per request and no queueing behind other exits; needs virtio devices";
    public override string Summary =>
        "A kernel worker per queue drains the virtqueue instead of the VM's shared QEMU thread, so device work is cheaper and no longer queues behind other userspace exits.";
    public override string Source => "docs/kvm-facts.md §2.4 (vhost, ioeventfd/irqfd); Linux drivers/vhost";

    public override Scenario Apply(Scenario s) => WithDevices(s, d => d with { Dataplane = Dataplane.Vhost });
}
