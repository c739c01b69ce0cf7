using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// vhost-user with a polling back end (OVS-DPDK, a DPDK vswitch): the NIC's virtqueues are served by a userspace process whose
/// PMD threads poll them on dedicated cores, so the guest never kicks and the back end never sleeps.
/// </summary>
public sealed class VhostUser : Optimisation
{
    public override string Name => "vhost-user";
    public override string Description => "virtio-net served by a polling vhost-user back end (OVS-DPDK PMD threads on dedicated cores) instead of vhost-net (devices.nic.dataplane: vhost-user)";
    public override string Mechanism =>
        "a polling thread per queue, on a core of its own, drains the NIC's rings with VRING_USED_F_NO_NOTIFY set: the guest's transmits never notify " +
        "(no EPT_MISCONFIG ioeventfd exit) and the back end is never woken (no wake-up latency); packet work costs devices.nic.vhost on that thread. " +
        "Each polling core is 100 % host CPU and is taken out of host.cores. Interrupts to a kernel guest still go through the call eventfd (irqfd)";
    public override string Summary =>
        "A polling vhost-user back end on dedicated cores: no notify exits and no back-end wake-ups, at the price of one busy host core per queue.";
    public override string Source =>
        "QEMU docs/interop/vhost-user.rst (kick/call eventfds); VIRTIO 1.x §2.7.7 (VRING_USED_F_NO_NOTIFY); DPDK drivers/net/vhost/rte_eth_vhost.c new_device " +
        "(rte_vhost_enable_guest_notification(vid, i, 0) on every vring); Open vSwitch Documentation/topics/dpdk/pmd.rst (PMD threads on pmd-cpu-mask cores)";

    public override Scenario Apply(Scenario s) =>
        s.Devices.Nic is { } n && !Model.DeviceModels.Passthrough(n.Model)
            ? s with { Devices = s.Devices with { Nic = n with { Dataplane = Dataplane.VhostUser } } }
            : s;
}
