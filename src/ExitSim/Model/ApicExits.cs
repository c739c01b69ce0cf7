using ExitSim.Scenarios;

namespace ExitSim.Model;

/// <summary>
/// Which exits the guest's local APIC costs on a host with the given features, by the guest's APIC mode:
/// <list type="bullet">
/// <item>No APICv/AVIC: every EOI and ICR write exits (x2APIC <c>MSR_WRITE</c>/<c>msr</c>, xAPIC <c>APIC_ACCESS</c>/<c>npf</c>).
/// With <c>pv-eoi</c> (KVM_FEATURE_PV_EOI) KVM arms the guest's PV EOI flag before entry when the injected vector is the only
/// one in service and pending and the IOAPIC does not need its EOI (arch/x86/kvm/lapic.c apic_sync_pv_eoi_to_guest), and
/// the guest then clears the flag instead of writing EOI (arch/x86/kernel/kvm.c kvm_guest_apic_eoi_write).</item>
/// <item>Intel APICv: EOIs are virtualised except for vectors in the EOI-exit bitmap, i.e. level-triggered or notified IOAPIC
/// pins (<c>EOI_INDUCED</c>; arch/x86/kvm/ioapic.c kvm_ioapic_scan_entry); the ICR write is a trap-like <c>APIC_WRITE</c> in
/// xAPIC mode and an intercepted <c>MSR_WRITE</c> in x2APIC mode (Intel SDM vol. 3 §31.4.3 APIC-write emulation), unless
/// <c>ipiv</c> virtualises a unicast physical-destination IPI (no sender exit; a blocked target is woken through its
/// posted-interrupt descriptor's wake-up vector, arch/x86/kvm/vmx/posted_intr.c pi_wakeup_handler).</item>
/// <item>AMD AVIC (xAPIC, or x2APIC with <c>x2avic</c>): EOIs are accelerated except a level-triggered vector's, which traps as
/// <c>avic_unaccelerated_access</c> (AMD APM vol. 2 §15.29; APIC_EOI in arch/x86/kvm/svm/avic.c
/// is_avic_unaccelerated_access_trap); the ICR write is accelerated, and the sender exits with <c>avic_incomplete_ipi</c> only
/// when the target is not running (avic_incomplete_ipi_interception, AVIC_IPI_FAILURE_TARGET_NOT_RUNNING: KVM wakes it).</item>
/// <item>AVIC with an x2APIC guest and no x2AVIC ("hybrid-AVIC", arch/x86/kvm/svm/avic.c avic_activate_vmcb): KVM emulates
/// every x2APIC MSR access, so EOIs and ICR writes are <c>msr</c> exits, while interrupts are still posted to running vCPUs
/// through the AVIC doorbell. PV EOI is never armed with APICv/AVIC active (KVM no longer sees the in-service vector).</item>
/// </list>
/// </summary>
public sealed record ApicExits
{
    /// <summary>Interrupts to a vCPU in the guest are posted (no EXTERNAL_INTERRUPT exit).</summary>
    public bool Posted { get; init; }
    /// <summary>The hardware injects pending interrupts itself: no INTERRUPT_WINDOW exit.</summary>
    public bool VirtualDelivery { get; init; }
    /// <summary>The exit of an edge-triggered vector's EOI (MSI, IPI, LAPIC timer, ISA edge pin), or null when it never exits.</summary>
    public string? EdgeEoi { get; init; }
    /// <summary>The exit of a level-triggered (IOAPIC-handled) vector's EOI, or null.</summary>
    public string? LevelEoi { get; init; }
    /// <summary>PV EOI skips an edge EOI's exit when the vector was the only one in service and pending.</summary>
    public bool PvEoi { get; init; }
    /// <summary>The exit of the sender's ICR write for a unicast IPI, or null when the hardware sends it.</summary>
    public string? Icr { get; init; }
    /// <summary>The ICR write exits only when the target is not running (AVIC's incomplete IPI).</summary>
    public bool IcrOnlyToBlocked { get; init; }
    /// <summary>
    /// The IOMMU posts a passed-through device's MSI straight to the vCPU's posted-interrupt descriptor (VT-d posted interrupts:
    /// the IRTE in posted format, arch/x86/kvm/vmx/posted_intr.c pi_update_irte, only with APICv active and an IOMMU with
    /// IRQ_POSTING_CAP; AMD: the IOMMU's guest virtual APIC mode into the AVIC backing page, arch/x86/kvm/svm/avic.c
    /// avic_pi_update_irte, only with AVIC). A running vCPU then takes it without an exit, a blocked one through the wake-up vector.
    /// </summary>
    public bool IommuPosted { get; init; }

    public static ApicExits For(Vendor vendor, ApicMode mode, IReadOnlyCollection<string> features)
    {
        bool x2 = mode == ApicMode.X2apic;
        if (vendor == Vendor.Intel && features.Contains("apicv"))
            return new ApicExits
            {
                Posted = true, VirtualDelivery = true, LevelEoi = "EOI_INDUCED",
                Icr = features.Contains("ipiv") ? null : x2 ? "MSR_WRITE" : "APIC_WRITE",
                IommuPosted = features.Contains("vtd-pi"),
            };
        if (vendor == Vendor.Amd && features.Contains("avic"))
            return !x2 || features.Contains("x2avic")
                ? new ApicExits { Posted = true, VirtualDelivery = true, LevelEoi = "avic_unaccelerated_access", Icr = "avic_incomplete_ipi", IcrOnlyToBlocked = true, IommuPosted = true }
                : new ApicExits { Posted = true, VirtualDelivery = true, EdgeEoi = "msr", LevelEoi = "msr", Icr = "msr", IommuPosted = true };
        string write = MechanismReasons.For(vendor, MechanismReasons.ApicWrite(mode));
        return new ApicExits
        {
            Posted = features.Contains("posted-interrupts"), EdgeEoi = write, LevelEoi = write, Icr = write,
            PvEoi = features.Contains("pv-eoi"),
        };
    }

    /// <summary>Every reason these exits use; a level-triggered EOI's only with a <paramref name="level"/>-triggered device.</summary>
    public IEnumerable<string> Reasons(bool level) => new[] { EdgeEoi, level ? LevelEoi : null, Icr }.OfType<string>().Distinct();
}
