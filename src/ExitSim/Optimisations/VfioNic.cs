using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// The NIC becomes an SR-IOV virtual function assigned to the guest through VFIO (<c>devices.nic.model: vfio</c>): the guest's
/// VF driver owns the hardware queues, so packets need no virtqueue, no notify and no QEMU or vhost work; only interrupts remain.
/// </summary>
public sealed class VfioNic : Optimisation
{
    public override string Name => "vfio-nic";
    public override string Description => "SR-IOV virtual function passed through with VFIO instead of an emulated or virtio NIC (devices.nic.model: vfio)";
    public override string Mechanism =>
        "the VF's BARs are mapped into the guest, so its tail-register writes take no exit, and it DMAs packets through the IOMMU straight into guest memory: " +
        "no virtqueue, no ioeventfd notify, no QEMU or vhost work per packet. Its MSI-X interrupts remain: with IOMMU posting (vtd-pi, or AVIC's IOMMU mode) " +
        "they reach a running vCPU without an exit and wake a blocked one; without it each is a host IRQ on the vCPU's core (EXTERNAL_INTERRUPT) that KVM's irqfd " +
        "injects at re-entry. EOIs follow the APIC rules (MSI-X is edge). The NIC's back end stays (the wire or the peer; a host bridge or tap is no longer in the path)";
    public override string Summary =>
        "The NIC is a passed-through VF: no exits or host threads per packet; its MSI-X interrupts are posted by the IOMMU (vtd-pi) or exit as host IRQs.";
    public override string Source =>
        "QEMU hw/vfio/pci.c (BARs mapped as RAM-device regions); Linux drivers/vfio/pci/vfio_pci_intrs.c vfio_msihandler → eventfd → virt/kvm/eventfd.c irqfd; " +
        "Gordon et al., ELI, ASPLOS 2012 (assigned-device interrupts cost exits)";

    public override Scenario Apply(Scenario s) =>
        s.Devices.Nic is { } n
            ? s with { Devices = s.Devices with { Nic = n with { Model = DeviceModelKind.Vfio, Dataplane = Dataplane.Qemu, Qemu = null, Vhost = null, Depth = null } } }
            : s;
}
