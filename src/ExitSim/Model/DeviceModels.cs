using ExitSim.Scenarios;

namespace ExitSim.Model;

/// <summary>
/// What each device model costs the guest in exits. Emulated devices are driven through registers:
/// every access is a PIO or MMIO exit emulated by QEMU on its main loop. The counts were read off the
/// Linux drivers (approximate, per request or per interrupt):
/// <list type="bullet">
/// <item>ide (ata_piix, LBA48 bus-master DMA): drivers/ata/libata-sff.c ata_bmdma_setup (3), ata_sff_tf_load
/// (11), the command write (1), ata_bmdma_start (2) = 17 port writes/reads to submit; the interrupt handler
/// reads the BMDMA and device status and stops the engine (ata_bmdma_port_intr, ata_bmdma_stop) ≈ 5.</item>
/// <item>ahci (NCQ): drivers/ata/libahci.c ahci_qc_issue writes PxSACT and PxCI (2 MMIO); the handler reads
/// HOST_IRQ_STAT and PxIS, clears both, reads PxSACT (ahci_single_level_irq_intr, ahci_port_intr) ≈ 5.</item>
/// <item>e1000: drivers/net/ethernet/intel/e1000/e1000_main.c writes TDT once per transmitted packet (QEMU
/// transmits inside that exit); e1000_intr reads ICR, masks with IMC and flushes (a STATUS read), and the
/// NAPI poll refills RDT and unmasks with IMS plus a flush ≈ 6 per interrupt.</item>
/// <item>virtio (blk, scsi, net): one notify per batch, only while the device has notifications enabled
/// (VIRTIO 1.x §2.7.7; docs/kvm-facts.md §3.7); MSI-X vectors, so the handler reads no register.</item>
/// </list>
/// </summary>
public static class DeviceModels
{
    public static bool IsVirtio(DeviceModelKind m) => m is DeviceModelKind.VirtioBlk or DeviceModelKind.VirtioScsi or DeviceModelKind.VirtioNet;

    public static string Name(DeviceModelKind m) => m switch
    {
        DeviceModelKind.Ide => "ide",
        DeviceModelKind.Ahci => "ahci",
        DeviceModelKind.VirtioBlk => "virtio-blk",
        DeviceModelKind.VirtioScsi => "virtio-scsi",
        DeviceModelKind.E1000 => "e1000",
        _ => "virtio-net",
    };

    /// <summary>Requests one queue accepts at once: IDE has no command queueing, AHCI NCQ 32 tags, a virtqueue 128 (QEMU's default size is 256 descriptors, two per request).</summary>
    public static int DefaultDepth(DeviceModelKind m) => m switch
    {
        DeviceModelKind.Ide => 1,
        DeviceModelKind.Ahci => 32,
        DeviceModelKind.E1000 => 256,
        _ => 128,
    };

    /// <summary>Register exits to submit one request or transmit one packet (emulated models; virtio notifies instead).</summary>
    public static int SubmitExits(DeviceModelKind m) => m switch
    {
        DeviceModelKind.Ide => 17,
        DeviceModelKind.Ahci => 2,
        DeviceModelKind.E1000 => 1,
        _ => 0,
    };

    /// <summary>Register exits in one interrupt handler.</summary>
    public static int HandlerExits(DeviceModelKind m) => m switch
    {
        DeviceModelKind.Ide => 5,
        DeviceModelKind.Ahci => 5,
        DeviceModelKind.E1000 => 6,
        _ => 0,
    };

    /// <summary>
    /// Whether the device interrupts through a level-triggered IOAPIC pin, whose EOI KVM must see (so it is in the EOI-exit
    /// bitmap with APICv and never skipped by PV EOI). Only e1000: QEMU's e1000 has no MSI capability and raises PCI INTx
    /// (hw/net/e1000.c, pci_set_irq), which the guest programs level-triggered. The rest are edge: virtio uses MSI-X; QEMU's
    /// ich9-ahci has MSI (hw/ide/ich.c, msi_init) and Linux's ahci uses it (drivers/ata/ahci.c ahci_init_msi); PIIX IDE in
    /// legacy mode raises ISA IRQ 14/15 (hw/ide/piix.c), edge-triggered as ISA IRQs are without an ACPI interrupt source
    /// override, and KVM registers no ack notifier for them (arch/x86/kvm/ioapic.c kvm_ioapic_scan_entry).
    /// </summary>
    public static bool LevelTriggered(DeviceModelKind m) => m == DeviceModelKind.E1000;

    /// <summary>The exit reason of a register access (Intel name): port I/O for IDE, MMIO (EPT_MISCONFIG) for the rest.
    /// Modern virtio-pci notifies by MMIO too (docs/kvm-facts.md §3.7).</summary>
    public static string RegisterReason(DeviceModelKind m) => m == DeviceModelKind.Ide ? "IO_INSTRUCTION" : "EPT_MISCONFIG";
}
