using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM steal time (CPUID KVM_FEATURE_STEAL_TIME, QEMU's kvm-steal-time, on by default).</summary>
public sealed class StealTime : Optimisation
{
    public override string Name => "steal-time";
    public override string Description => "paravirtual steal time: KVM tells the guest how long each vCPU waited for a host CPU, and whether it is preempted now";
    public override string Mechanism =>
        "KVM writes each vCPU's steal (run_delay: runnable but not running) into a per-vCPU area at entry, and sets its 'preempted' flag when " +
        "the host schedules the vCPU thread out while it is runnable. It removes no exit by itself (the report's steal is what the guest sees); " +
        "PV TLB flush and PV sched yield read the preempted flag, so both need it";
    public override string Summary => "The guest sees its steal and which vCPUs are preempted (what pv-tlb-flush and pv-sched-yield need).";
    public override string Source =>
        "arch/x86/kvm/x86.c record_steal_time, kvm_steal_time_set_preempted; arch/x86/kernel/kvm.c kvm_register_steal_time, kvm_vcpu_is_preempted; " +
        "QEMU target/i386/kvm/kvm-cpu.c kvm_default_props (kvm-steal-time=on)";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
