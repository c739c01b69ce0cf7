namespace ExitSim.Running;

/// <summary>
/// The headline metrics of a run, in the order every output lists them: run, compare, sweep, explain,
/// <c>--slo</c> and the charts all read them from here. Values per replication and per VM come from
/// <see cref="ReplicationMetrics"/>.
/// </summary>
public static class MetricTable
{
    public static readonly Metric ExitsPerSecond = new("exits_per_second", "exits/s", "exits/s", "/s", 1, Better.Lower, false, false, x => x.ExitsPerSecond);
    public static readonly Metric IoExitsPerSecond = new("io_exits_per_second", "I/O exits/s", "I/O exits/s", "/s", 1, Better.Lower, false, false, x => x.IoExitsPerSecond);
    public static readonly Metric MeanExitLatency = new("mean_exit_latency_ns", "mean exit latency", "mean latency", "ns", 1, Better.Lower, false, false, x => x.MeanExitLatencyNs);
    public static readonly Metric P99ExitLatency = new("p99_exit_latency_ns", "p99 exit latency", "p99 latency", "ns", 1, Better.Lower, false, true, x => x.P99ExitLatencyNs);
    public static readonly Metric IoExitShare = new("io_exit_share_pct", "I/O exit share", "I/O exit share", "%", 1, Better.Lower, false, false, x => x.IoExitSharePct);
    public static readonly Metric GuestTime = new("guest_time_fraction", "guest time", "guest time", "%", 100, Better.Higher, false, false, x => x.GuestTimeFraction);
    public static readonly Metric QemuUtilisation = new("qemu_max_utilisation", "QEMU utilisation", "QEMU utilisation", "%", 100, Better.Neither, false, false, x => x.QemuMaxUtilisation);
    public static readonly Metric Throughput = new("throughput_ops_per_second", "throughput", "throughput", "ops/s", 1, Better.Higher, true, false, x => x.ThroughputOpsPerSecond);
    public static readonly Metric P50OpLatency = new("p50_op_latency_ns", "p50 operation latency", "p50 op latency", "ns", 1, Better.Lower, true, true, x => x.P50OpLatencyNs);
    public static readonly Metric P99OpLatency = new("p99_op_latency_ns", "p99 operation latency", "p99 op latency", "ns", 1, Better.Lower, true, true, x => x.P99OpLatencyNs);
    public static readonly Metric P99StorageLatency = new("p99_storage_latency_ns", "p99 storage latency", "p99 storage", "ns", 1, Better.Lower, true, true, x => x.P99StorageLatencyNs);
    public static readonly Metric Halted = new("halted_fraction", "halted", "halted", "%", 100, Better.Neither, true, false, x => x.HaltedFraction);
    public static readonly Metric HaltPolling = new("halt_poll_fraction", "polling", "polling", "%", 100, Better.Lower, true, false, x => x.PollFraction);

    /// <summary>
    /// The mean time per operation: the figure of a microbenchmark whose operation is one round trip (an IPI, a
    /// timer), over the operations finished in the window. Not in <see cref="All"/> (reports show percentiles); named
    /// by <c>exitsim evidence</c> cases.
    /// </summary>
    public static readonly Metric MeanOpLatency = new("mean_op_latency_ns", "mean operation latency", "mean op latency", "ns", 1, Better.Lower, true, false, x => x.MeanOpLatencyNs);

    public static readonly IReadOnlyList<Metric> All =
    [
        ExitsPerSecond, IoExitsPerSecond, MeanExitLatency, P99ExitLatency, IoExitShare, GuestTime, QemuUtilisation,
        Throughput, P50OpLatency, P99OpLatency, P99StorageLatency, Halted, HaltPolling,
    ];

    /// <summary>Every metric a name can select: <see cref="All"/> and <see cref="MeanOpLatency"/>.</summary>
    public static readonly IReadOnlyList<Metric> Named = [.. All, MeanOpLatency];

    public static Metric? Find(string name) => Named.FirstOrDefault(m => m.Name == name);

    /// <summary>The metric called <paramref name="name"/>; a name not in the table is a programming error.</summary>
    public static Metric Get(string name) => Find(name) ?? throw new ArgumentException($"no metric '{name}'", nameof(name));
}
