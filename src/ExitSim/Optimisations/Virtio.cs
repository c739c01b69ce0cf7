using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>Paravirtual devices: the emulated disk becomes virtio-blk, the emulated NIC virtio-net.</summary>
public sealed class Virtio : Optimisation
{
    public override string Name => "virtio";
    public override string Description => "paravirtual virtio-blk / virtio-net instead of emulated IDE/AHCI and e1000";
    public override string Mechanism =>
        "register exits per request (17 PIO for IDE, 2 MMIO for AHCI, 1 per packet for e1000, plus 5-6 in every interrupt handler) become one notify per batch through an ioeventfd, " +
        "sent only while the device has notifications enabled, so kicks and interrupts per request fall as the queue gets busier";
    public override string Summary =>
        "The emulated device's register exits per request become one notify per batch, handled in the kernel through an ioeventfd and suppressed while the queue is busy.";
    public override string Source => "VIRTIO 1.x §2.7.7/§2.7.10 (notification suppression); KVM api.rst KVM_IOEVENTFD; docs/kvm-facts.md §2.4, §3.7";

    public override Scenario Apply(Scenario s) => WithDevices(s, d => d.Model switch
    {
        DeviceModelKind.Ide or DeviceModelKind.Ahci => d with { Model = DeviceModelKind.VirtioBlk, Depth = null },
        DeviceModelKind.E1000 => d with { Model = DeviceModelKind.VirtioNet, Depth = null },
        _ => d,
    });
}
