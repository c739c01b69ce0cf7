using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM's paravirtual IPI (CPUID KVM_FEATURE_PV_SEND_IPI, QEMU's kvm-pv-ipi).</summary>
public sealed class PvIpi : Optimisation
{
    public override string Name => "pv-ipi";
    public override string Description => "paravirtual IPI: a multicast IPI is one hypercall instead of one ICR write per target";
    public override string Mechanism =>
        "the guest sends an IPI to a set of vCPUs with one KVM_HC_SEND_IPI hypercall (a VMCALL exit carrying a bitmap of APIC IDs) instead of " +
        "one ICR write per target (one MSR_WRITE exit each in x2APIC physical mode). Modelled for TLB-shootdown IPIs (vm.tlb_shootdowns); the " +
        "workload's unicast reschedule IPIs are unchanged (one exit either way). The guest does not use it with KVM_HINTS_REALTIME. Off in " +
        "QEMU's named CPU models (not in kvm_default_props), on with -cpu host";
    public override string Summary => "A TLB shootdown's IPIs cost one VMCALL exit instead of one ICR-write exit per target.";
    public override string Source =>
        "arch/x86/kernel/kvm.c kvm_send_ipi_mask, __send_ipi_mask, pv_ipi_supported; arch/x86/kvm/lapic.c kvm_pv_send_ipi; " +
        "Documentation/virt/kvm/x86/hypercalls.rst KVM_HC_SEND_IPI";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
