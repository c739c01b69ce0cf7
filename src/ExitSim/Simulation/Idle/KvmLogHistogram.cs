namespace ExitSim.Simulation.Idle;

/// <summary>
/// A KVM log2 histogram of nanoseconds as KVM_GET_STATS_FD reports it (KVM_STATS_TYPE_LOG_HIST, 32 buckets,
/// include/linux/kvm_types.h HALT_POLL_HIST_COUNT): a value goes to bucket fls64(value), capped at the last
/// (include/linux/kvm_host.h kvm_stats_log_hist_update). So bucket 0 holds 0, bucket i ≥ 1 holds [2^(i-1), 2^i) ns,
/// and bucket 31 everything from 2^30 ns (≈1.07 s) up.
/// </summary>
internal sealed class KvmLogHistogram
{
    public const int Buckets = 32;
    private readonly long[] _counts = new long[Buckets];

    /// <summary>Bucket of <paramref name="ns"/>, truncated to whole ns as the kernel's u64.</summary>
    public static int Bucket(double ns)
    {
        ulong value = ns <= 0 ? 0 : (ulong)ns;
        int fls = 64 - System.Numerics.BitOperations.LeadingZeroCount(value);
        return Math.Min(fls, Buckets - 1);
    }

    public void Record(double ns) => _counts[Bucket(ns)]++;

    public long[] ToArray() => (long[])_counts.Clone();
}
