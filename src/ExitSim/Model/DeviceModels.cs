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
/// NAPI poll refills RDT and unmasks with IMS plus a flush ≈ 6 per interrupt. QEMU registers the e1000's MMIO
/// BAR as coalesced except MDIC, ICR, ICS, IMS, IMC, TCTL and TDT (hw/net/e1000.c e1000_mmio_setup): a write
/// there (RDT) still exits, but KVM appends it to the coalesced-MMIO ring and re-enters (virt/kvm/coalesced_mmio.c),
/// and QEMU replays it at its next exit. Reads always reach QEMU. So 5 of the 6 go to QEMU, RDT stays in KVM.</item>
/// <item>virtio (blk, scsi, net): one notify per batch, only while the device has notifications enabled
/// (VIRTIO 1.x §2.7.7; docs/kvm-facts.md §3.7); MSI-X vectors, so the handler reads no register.</item>
/// <item>vfio (a passed-through SR-IOV VF or NVMe drive): the device's BARs are mapped into the guest (QEMU
/// hw/vfio/pci.c maps the BAR regions as RAM-device memory, so the doorbell and tail writes take no exit), it DMAs
/// through the IOMMU straight into guest memory (no virtqueue, no ioeventfd, no QEMU or vhost work) and interrupts by
/// MSI-X (edge). Only the interrupt path costs exits (<see cref="Passthrough"/>).</item>
/// </list>
/// </summary>
public static class DeviceModels
{
    public static bool IsVirtio(DeviceModelKind m) => m is DeviceModelKind.VirtioBlk or DeviceModelKind.VirtioScsi or DeviceModelKind.VirtioNet;

    /// <summary>A device assigned to the guest through VFIO: no emulation, no virtqueue; the guest drives the hardware.</summary>
    public static bool Passthrough(DeviceModelKind m) => m == DeviceModelKind.Vfio;

    /// <summary>An emulated model whose registers QEMU emulates (each access an exit).</summary>
    public static bool Emulated(DeviceModelKind m) => !IsVirtio(m) && !Passthrough(m);

    public static string Name(DeviceModelKind m) => m switch
    {
        DeviceModelKind.Ide => "ide",
        DeviceModelKind.Ahci => "ahci",
        DeviceModelKind.VirtioBlk => "virtio-blk",
        DeviceModelKind.VirtioScsi => "virtio-scsi",
        DeviceModelKind.E1000 => "e1000",
        DeviceModelKind.Vfio => "vfio",
        _ => "virtio-net",
    };

    /// <summary>
    /// Requests one queue accepts at once: IDE has no command queueing, AHCI NCQ 32 tags. virtio-blk: QEMU's
    /// queue-size is 256 (hw/block/virtio-blk.c, since QEMU 5.0; 128 for pc-4.2 and older machines) and with
    /// VIRTIO_RING_F_INDIRECT_DESC (on by default) a request takes one ring slot, so Linux sizes blk-mq to the whole
    /// ring (drivers/block/virtio_blk.c virtblk_probe: queue_depth = num_free, halved only without indirect
    /// descriptors). virtio-scsi: the ring is 256 too but the SCSI midlayer caps a LUN at cmd_per_lun, 128 by default
    /// (hw/scsi/virtio-scsi.c; drivers/scsi/virtio_scsi.c). A passed-through NVMe drive: Linux's nvme driver sizes its I/O
    /// queues to io_queue_depth (1024, drivers/nvme/host/pci.c) and keeps one slot empty, so 1023 tags. NICs: 256 ring
    /// entries (no tags in the model).
    /// </summary>
    public static int DefaultDepth(DeviceModelKind m) => m switch
    {
        DeviceModelKind.Ide => 1,
        DeviceModelKind.Ahci => 32,
        DeviceModelKind.VirtioScsi => 128,
        DeviceModelKind.Vfio => 1023,
        _ => 256,
    };

    /// <summary>Register exits to submit one request or transmit one packet (emulated models; virtio notifies instead).</summary>
    public static int SubmitExits(DeviceModelKind m) => m switch
    {
        DeviceModelKind.Ide => 17,
        DeviceModelKind.Ahci => 2,
        DeviceModelKind.E1000 => 1,
        _ => 0,
    };

    /// <summary>Register exits to QEMU in one interrupt handler (e1000: ICR read, IMC write, flush; IMS write, flush).</summary>
    public static int HandlerExits(DeviceModelKind m) => m switch
    {
        DeviceModelKind.Ide => 5,
        DeviceModelKind.Ahci => 5,
        DeviceModelKind.E1000 => 5,
        _ => 0,
    };

    /// <summary>Writes to coalesced MMIO in one interrupt handler, handled in KVM: the e1000's RDT refill.</summary>
    public static int CoalescedHandlerWrites(DeviceModelKind m) => m == DeviceModelKind.E1000 ? 1 : 0;

    /// <summary>Register exits of the handler that come after its coalesced writes (e1000: IMS write and flush, e1000_irq_enable).</summary>
    public const int UnmaskExits = 2;

    /// <summary>
    /// KVM's handle cost of a coalesced MMIO write when the scenario gives none (exits.EPT_MISCONFIG.coalesced): an
    /// in-kernel emulated I/O exit costs 2,565 cycles end to end (Dall et al., USENIX ATC'17, Table 2), less ≈600
    /// cycles of hardware exit and entry.
    /// </summary>
    public const double CoalescedHandleCycles = 2_000;

    /// <summary>
    /// Minimum time between two interrupts the NIC raises (0 = none). QEMU's e1000 has interrupt mitigation on by
    /// default (property mitigation=on since QEMU 2.0): after it raises its line it holds further causes until mit_timer
    /// fires, at least 500 × 256 ns = 128 µs later ("a maximum observable interrupt rate of 7813 interrupts/sec",
    /// hw/net/e1000.c set_interrupt_cause). The Linux driver's default ITR (InterruptThrottleRate=3: 20,000/s, ITR 195,
    /// drivers/net/ethernet/intel/e1000/e1000_main.c e1000_configure_rx) is below that floor, so 128 µs it is.
    /// </summary>
    public static double MitigationNs(DeviceModelKind m) => m == DeviceModelKind.E1000 ? 500 * 256 : 0;

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
