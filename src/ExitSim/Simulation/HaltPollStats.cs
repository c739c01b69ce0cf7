namespace ExitSim.Simulation;

/// <summary>
/// KVM's halt-polling statistics (KVM_GET_STATS_FD, debugfs), named as the kernel names them (include/linux/kvm_types.h
/// struct kvm_vcpu_stat_generic; updated in virt/kvm/kvm_main.c kvm_vcpu_halt, update_halt_poll_stats, kvm_vcpu_wake_up)
/// for the halts that ended in the measurement window. A poll that succeeded or failed counts once in
/// <see cref="HaltAttemptedPoll"/>; a halt with a zero window attempts none. Times are whole halts, not clipped.
/// </summary>
public sealed record HaltPollStats
{
    public long HaltAttemptedPoll { get; init; }
    public long HaltSuccessfulPoll { get; init; }
    /// <summary>Successful polls ended by an invalid wake-up (not an interrupt or event: vcpu_valid_wakeup); every wake here is an interrupt, so 0.</summary>
    public long HaltPollInvalid { get; init; }
    /// <summary>Wake-ups of a vCPU that blocked (kvm_vcpu_wake_up).</summary>
    public long HaltWakeup { get; init; }
    public double HaltPollSuccessNs { get; init; }
    public double HaltPollFailNs { get; init; }
    /// <summary>From the end of polling (or the halt's start without it) to running again, the scheduler trip included.</summary>
    public double HaltWaitNs { get; init; }

    public static HaltPollStats Sum(IEnumerable<HaltPollStats> all) => all.Aggregate(new HaltPollStats(), (a, b) => new HaltPollStats
    {
        HaltAttemptedPoll = a.HaltAttemptedPoll + b.HaltAttemptedPoll,
        HaltSuccessfulPoll = a.HaltSuccessfulPoll + b.HaltSuccessfulPoll,
        HaltPollInvalid = a.HaltPollInvalid + b.HaltPollInvalid,
        HaltWakeup = a.HaltWakeup + b.HaltWakeup,
        HaltPollSuccessNs = a.HaltPollSuccessNs + b.HaltPollSuccessNs,
        HaltPollFailNs = a.HaltPollFailNs + b.HaltPollFailNs,
        HaltWaitNs = a.HaltWaitNs + b.HaltWaitNs,
    });
}
