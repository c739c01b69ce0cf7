using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM's paravirtual sched yield (CPUID KVM_FEATURE_PV_SCHED_YIELD, QEMU's kvm-pv-sched-yield).</summary>
public sealed class PvSchedYield : Optimisation
{
    public override string Name => "pv-sched-yield";
    public override string Description => "paravirtual sched yield: a vCPU that IPIs a preempted vCPU yields its host CPU to it";
    public override string Mechanism =>
        "after sending a call-function IPI (a TLB shootdown's), the guest checks the targets' steal-time 'preempted' flags and, for the first " +
        "preempted one, makes a KVM_HC_SCHED_YIELD hypercall (a VMCALL exit); KVM does a directed yield to that vCPU's thread, which runs at once " +
        "on the sender's core while the sender waits. Needs steal-time; the guest uses it only without KVM_HINTS_REALTIME. Off in QEMU's named " +
        "CPU models (not in kvm_default_props), on with -cpu host";
    public override string Summary => "An IPI sender gives its host CPU to a preempted target instead of spinning for it (needs steal-time).";
    public override string Source =>
        "arch/x86/kernel/kvm.c kvm_smp_send_call_func_ipi, pv_sched_yield_supported; arch/x86/kvm/x86.c kvm_sched_yield; virt/kvm/kvm_main.c " +
        "kvm_vcpu_yield_to; Wanpeng Li, \"[PATCH v3 0/3] KVM: Yield to IPI target if necessary\", 2019-05-30";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
