using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM's paravirtual TLB flush (CPUID KVM_FEATURE_PV_TLB_FLUSH, QEMU's kvm-pv-tlb-flush).</summary>
public sealed class PvTlbFlush : Optimisation
{
    public override string Name => "pv-tlb-flush";
    public override string Description => "paravirtual TLB flush: a shootdown skips preempted vCPUs, which KVM flushes at their next entry";
    public override string Mechanism =>
        "a guest TLB shootdown (vm.tlb_shootdowns) IPIs only the target vCPUs that are running; for one whose steal-time 'preempted' flag is " +
        "set, the guest sets KVM_VCPU_FLUSH_TLB instead and KVM flushes its TLB when it next enters. The initiator no longer busy-waits for a " +
        "vCPU the host has descheduled (up to a host timeslice), and sends fewer ICR writes. Needs steal-time; the guest uses it only without " +
        "KVM_HINTS_REALTIME. Off in QEMU's named CPU models (not in kvm_default_props), on with -cpu host";
    public override string Summary => "A TLB shootdown no longer waits for preempted vCPUs: KVM flushes them at their next entry (needs steal-time).";
    public override string Source =>
        "arch/x86/kernel/kvm.c kvm_flush_tlb_multi, kvm_guest_init (pv_tlb_flush_supported); arch/x86/kvm/x86.c record_steal_time; " +
        "Wanpeng Li, \"[PATCH v8 0/4] KVM: X86: Add Paravirt TLB Shootdown\", LKML 2017-12-12";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
