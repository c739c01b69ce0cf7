using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>Guest-side halt polling: the guest's cpuidle-haltpoll driver polls before HLT, and turns host polling off.</summary>
public sealed class GuestHaltPolling : Optimisation
{
    /// <summary>guest_halt_poll_ns's default (drivers/cpuidle/governors/haltpoll.c).</summary>
    public const double DefaultNs = 200_000;
    public override string Name => "guest-haltpoll";
    public override string Description =>
        "guest halt polling (cpuidle-haltpoll: guest_halt_poll_ns 200 µs; loads only in a KVM guest with KVM_HINTS_REALTIME, QEMU -cpu ...,kvm-hint-dedicated=on, or haltpoll.force=1)";
    public override string Mechanism =>
        "the idle vCPU polls in guest mode for its own adaptive window (from 0, grown ×2 from 50 µs up to the maximum after an HLT that " +
        "the window missed, halved after one longer than the maximum) before it executes HLT: work that arrives meanwhile is taken " +
        "without an HLT exit, and, as the idle task polls with TIF_POLLING_NRFLAG set, a waker on another vCPU sets need_resched " +
        "instead of sending the reschedule IPI (no ICR exit, no interrupt). The driver writes MSR_KVM_POLL_CONTROL = 0, so KVM does " +
        "not halt-poll for the vCPU. Polling is guest time on the host. Needs dedicated cores (refused when the host is overcommitted)";
    public override string Summary =>
        "The idle guest polls before HLT: short idle gaps leave no HLT exit and wakers skip the reschedule IPI; host halt polling is off.";
    public override string Source =>
        "drivers/cpuidle/cpuidle-haltpoll.c haltpoll_want; drivers/cpuidle/governors/haltpoll.c haltpoll_select, adjust_poll_limit; " +
        "drivers/cpuidle/poll_state.c poll_idle; kernel/sched/core.c set_nr_and_not_polling; arch/x86/kernel/kvm.c arch_haltpoll_enable; " +
        "arch/x86/kvm/x86.c kvm_arch_no_poll; Documentation/virt/guest-halt-polling.rst";

    public override Scenario Apply(Scenario s) =>
        s.Vm.GuestHaltPollNs > 0 ? s : s with { Vm = s.Vm with { GuestHaltPollNs = DefaultNs } };
}
