namespace ExitSim.Simulation;

/// <summary>What happens once KVM or QEMU has handled a follow-up exit (the device register write that starts a transfer, a virtio notify …).</summary>
internal enum ExitAction
{
    None,
    /// <summary>The last register write of an emulated disk's submission: the transfer starts (argument: the operation).</summary>
    ToBackEnd,
    /// <summary>A virtio notify: the front end wakes up for the queue (argument: the queue).</summary>
    Kick,
    /// <summary>The ICR write of a reschedule IPI: the interrupt is sent (argument: the target vCPU).</summary>
    Ipi,
    /// <summary>HLT: the vCPU goes idle instead of re-entering.</summary>
    Halt,
    /// <summary>The guest's idle loop polls (cpuidle-haltpoll): no exit.</summary>
    GuestPoll,
    /// <summary>HLT when KVM does not intercept it (KVM_CAP_X86_DISABLE_EXITS): no exit, the core halts in guest mode.</summary>
    HaltInGuest,
    /// <summary>An exit of a vmexit.flat test's iteration (argument: step and vCPU; see Microbench/VmexitLoop).</summary>
    Microbenchmark,
    /// <summary>The last send of a TLB shootdown: the initiator starts waiting for acks (argument: the initiator).</summary>
    TlbFlushSent,
    /// <summary>KVM_HC_SCHED_YIELD: the initiator yields its core to a preempted target (argument: the initiator).</summary>
    SchedYield,
    /// <summary>A PAUSE exit in a TLB-shootdown wait: KVM's directed yield (kvm_vcpu_on_spin), then the wait goes on (argument: the initiator).</summary>
    SpinPle,
    /// <summary>A PAUSE exit of a waiter for the guest kernel's spinlock: kvm_vcpu_on_spin's directed yield (argument: the waiter).</summary>
    LockPle,
    /// <summary>kvm_wait's HLT (PV spinlocks): the lock waiter halts whatever else the guest has to run (argument unused).</summary>
    LockHalt,
    /// <summary>KVM_HC_KICK_CPU (PV spinlocks): the unlocker wakes the halted waiter it passed the lock to (argument: the waiter).</summary>
    PvKick,
}
