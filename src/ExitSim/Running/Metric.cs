namespace ExitSim.Running;

/// <summary>Which way a metric is better: fewer exits and shorter latencies, more throughput.</summary>
public enum Better { Lower, Higher, Neither }

/// <summary>
/// One headline metric, as every command names, labels, scales and selects it. <see cref="Name"/> is the
/// snake_case name of JSON and CSV (and of <c>--slo</c>); <see cref="Label"/> the words a reader sees and
/// <see cref="ShortLabel"/> the same where space is tight (chart ticks); <see cref="Unit"/> the unit
/// shown (<c>/s</c>, <c>ns</c>, <c>%</c>, <c>ops/s</c>) after multiplying the stored value by
/// <see cref="Scale"/> (fractions are stored 0..1 and shown as %). <see cref="Quantile"/> metrics are
/// percentiles read off a log histogram: replications can agree to the bucket, so a zero spread over a
/// few of them says the interval is unknown, not that it is zero.
/// </summary>
public sealed record Metric(
    string Name, string Label, string ShortLabel, string Unit, double Scale, Better Better, bool NeedsWorkload, bool Quantile,
    Func<ReplicationMetrics, double> Of)
{
    /// <summary>A share shown in %: its changes are differences in percentage points, not ratios.</summary>
    public bool IsPercentage => Unit == "%";

    public bool Applies(bool hasWorkload) => hasWorkload || !NeedsWorkload;

    /// <summary>
    /// The mean of <paramref name="values"/> (one per replication, or paired differences) and the
    /// half-width of its 95 % interval: null with one value, and null for a percentile whose values all
    /// agree but are not zero — the histogram's buckets hide the spread, so the interval is unknown
    /// (too few replications to see it), not zero.
    /// </summary>
    public (double Mean, double? Ci95) Estimate(IReadOnlyList<double> values)
    {
        var e = Statistics.Estimate.Of(values);
        if (double.IsNaN(e.HalfWidth95)) return (e.Mean, null);
        if (Quantile && e.HalfWidth95 == 0 && e.Mean != 0) return (e.Mean, null);
        return (e.Mean, e.HalfWidth95);
    }
}
