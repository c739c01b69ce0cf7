using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM's paravirtual EOI (CPUID KVM_FEATURE_PV_EOI, QEMU's kvm-pv-eoi, on by default).</summary>
public sealed class PvEoi : Optimisation
{
    public override string Name => "pv-eoi";
    public override string Description => "paravirtual EOI: the guest clears a flag in memory instead of writing the APIC's EOI register";
    public override string Mechanism =>
        "without APICv/AVIC, KVM arms the guest's PV EOI flag before an entry that injects a vector alone in service and pending; the guest's " +
        "EOI then clears the flag instead of exiting (MSR_WRITE in x2APIC mode, APIC_ACCESS in xAPIC mode). Level-triggered vectors (an e1000's " +
        "INTx) and an EOI with another interrupt pending still exit; with APICv/AVIC it changes nothing";
    public override string Summary => "Without APICv/AVIC, the EOI of an edge interrupt alone in service no longer exits; level-triggered ones still do.";
    public override string Source =>
        "arch/x86/kvm/lapic.c apic_sync_pv_eoi_to_guest, apic_sync_pv_eoi_from_guest; arch/x86/kernel/kvm.c kvm_guest_apic_eoi_write; Documentation/virt/kvm/x86/msr.rst MSR_KVM_PV_EOI_EN";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
