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
    /// <summary>
    /// KVM's log2 histograms of the same times (KVM_STATS_TYPE_LOG_HIST, 32 buckets, <c>halt_poll_success_hist</c>,
    /// <c>halt_poll_fail_hist</c>, <c>halt_wait_hist</c>): bucket 0 holds 0 ns, bucket i ≥ 1 holds [2^(i-1), 2^i) ns, the last
    /// everything above (include/linux/kvm_host.h kvm_stats_log_hist_update). Their counts sum to halt_successful_poll,
    /// the failed polls, and halt_wakeup.
    /// </summary>
    public long[] HaltPollSuccessHist { get; init; } = new long[Idle.KvmLogHistogram.Buckets];
    public long[] HaltPollFailHist { get; init; } = new long[Idle.KvmLogHistogram.Buckets];
    public long[] HaltWaitHist { get; init; } = new long[Idle.KvmLogHistogram.Buckets];

    public static HaltPollStats Sum(IEnumerable<HaltPollStats> all) => all.Aggregate(new HaltPollStats(), (a, b) => new HaltPollStats
    {
        HaltAttemptedPoll = a.HaltAttemptedPoll + b.HaltAttemptedPoll,
        HaltSuccessfulPoll = a.HaltSuccessfulPoll + b.HaltSuccessfulPoll,
        HaltPollInvalid = a.HaltPollInvalid + b.HaltPollInvalid,
        HaltWakeup = a.HaltWakeup + b.HaltWakeup,
        HaltPollSuccessNs = a.HaltPollSuccessNs + b.HaltPollSuccessNs,
        HaltPollFailNs = a.HaltPollFailNs + b.HaltPollFailNs,
        HaltWaitNs = a.HaltWaitNs + b.HaltWaitNs,
        HaltPollSuccessHist = Add(a.HaltPollSuccessHist, b.HaltPollSuccessHist),
        HaltPollFailHist = Add(a.HaltPollFailHist, b.HaltPollFailHist),
        HaltWaitHist = Add(a.HaltWaitHist, b.HaltWaitHist),
    });

    private static long[] Add(long[] a, long[] b) => a.Zip(b, (x, y) => x + y).ToArray();
}
