using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM's irqs-off exit fastpath (Linux ≥ 5.8, Intel): always there in today's kernels, so on in host.defaults.</summary>
public sealed class ExitFastpathPlugin : Optimisation
{
    public override Vendor? Vendor => Model.Vendor.Intel;
    public override string Name => ExitFastpath.Feature;
    public override string Description => "KVM's exit fastpath (Linux >= 5.8, Intel; always on in today's kernels)";
    public override string Mechanism =>
        "an MSR_WRITE to the x2APIC ICR (single-target, physical, fixed IPI) or to TSC_DEADLINE, and a PREEMPTION_TIMER exit, are " +
        "handled right after the VM-exit with interrupts off and the vCPU re-enters at once, skipping the generic exit handling: their " +
        "handle phase is host.fastpath_saving shorter. Every other exit (an x2APIC EOI, other MSRs, xAPIC's APIC_WRITE) is unchanged";
    public override string Summary => "ICR and TSC_DEADLINE writes and preemption-timer exits skip KVM's generic exit path (shorter handle).";
    public override string Source =>
        "arch/x86/kvm/vmx/vmx.c vmx_exit_handlers_fastpath, handle_fastpath_preemption_timer; arch/x86/kvm/x86.c handle_fastpath_set_msr_irqoff " +
        "(Wanpeng Li, \"KVM: X86: Ultra fast single target IPI fastpath\" and \"KVM: VMX: Handle preemption timer fastpath\", Linux 5.8)";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
