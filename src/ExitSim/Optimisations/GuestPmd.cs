using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// A DPDK poll-mode driver in the guest (devices.nic.driver: pmd): the application polls the NIC's rings with interrupts
/// off, and its threads never sleep.
/// </summary>
public sealed class GuestPmd : Optimisation
{
    public override string Name => "guest-pmd";
    public override string Description => "a DPDK poll-mode driver in the guest on the virtio-net or vfio NIC (devices.nic.driver: pmd)";
    public override string Mechanism =>
        "the guest application busy-polls its receive rings with interrupts suppressed (VRING_AVAIL_F_NO_INTERRUPT; a VF's interrupts left disabled): " +
        "a received packet is picked up by the spinning thread without an interrupt, an EXTERNAL_INTERRUPT or an EOI, and no vCPU ever halts " +
        "(no HLT, no NO_HZ timer re-arms, no wake-up latency): the vCPUs are 100 % guest time, burnt whether or not packets come. Disk completions still interrupt";
    public override string Summary =>
        "The guest polls its NIC rings (DPDK PMD): no receive interrupts and no HLT, at the price of vCPUs that spin at 100 %.";
    public override string Source =>
        "DPDK drivers/net/virtio virtqueue.h virtqueue_disable_intr (sets VRING_AVAIL_F_NO_INTERRUPT; interrupts only with rte_eth_dev_rx_intr_enable); " +
        "VIRTIO 1.x §2.7.7; DPDK Programmer's Guide, Poll Mode Driver (run-to-completion polling)";

    public override Scenario Apply(Scenario s) =>
        s.Devices.Nic is { } n ? s with { Devices = s.Devices with { Nic = n with { Driver = NicDriver.Pmd } } } : s;
}
