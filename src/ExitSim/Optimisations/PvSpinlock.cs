using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM's paravirtual spinlocks (CPUID KVM_FEATURE_PV_UNHALT, QEMU's kvm-pv-unhalt).</summary>
public sealed class PvSpinlock : Optimisation
{
    public override string Name => "pv-spinlock";
    public override string Description => "paravirtual spinlocks: a lock waiter halts after a bounded spin and the unlocker kicks it with a hypercall";
    public override string Mechanism =>
        "a waiter for the guest kernel's spinlock (vm.kernel_spin with hold) spins SPIN_THRESHOLD (1 << 15) PAUSE loops, then halts in kvm_wait " +
        "(an HLT exit: it blocks in the host, may halt-poll, and its core is free for other threads); one queued behind a halted waiter halts at " +
        "its next check (pv_wait_early, every 256 loops). The unlocker that passes the lock to a halted waiter kicks it with KVM_HC_KICK_CPU " +
        "(a VMCALL exit on the unlocker; KVM sets pv_unhalted and wakes it like an interrupt); no kick when the next waiter still spins. " +
        "Spinning stops, so long waits make fewer PAUSE exits; a wake-up latency is added where a halted waiter is handed the lock. " +
        "The guest uses it when offered, unless KVM_HINTS_REALTIME, one vCPU or nopvspin; off in QEMU's named CPU models (kvm-pv-unhalt is not " +
        "in kvm_default_props), on with -cpu host. Refused with disable-exits (dedicated cores: KVM_HINTS_REALTIME, and HLT would not exit)";
    public override string Summary => "Spinlock waiters halt after a bounded spin instead of PAUSE-looping; the unlocker wakes a halted one with one VMCALL.";
    public override string Source =>
        "kernel/locking/qspinlock_paravirt.h pv_wait_node, pv_wait_early, pv_wait_head_or_lock, pv_kick_node, __pv_queued_spin_unlock_slowpath; " +
        "arch/x86/include/asm/spinlock.h SPIN_THRESHOLD; arch/x86/kernel/kvm.c kvm_spinlock_init, kvm_wait, kvm_kick_cpu; " +
        "arch/x86/kvm/x86.c kvm_pv_kick_cpu_op, kvm_arch_vcpu_runnable (pv_unhalted); QEMU target/i386/kvm/kvm-cpu.c kvm_default_props";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
