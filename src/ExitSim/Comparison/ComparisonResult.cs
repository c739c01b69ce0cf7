namespace ExitSim.Comparison;

/// <summary>
/// A before/after comparison: data only. <see cref="Change"/> says what changed in words; the
/// optimisations and <c>--set</c> settings of the "after" arm, the seed and the ExitSim version that
/// produced it are recorded too.
/// </summary>
public sealed record ComparisonResult(string Scenario, string Change, ulong Seed, int Replications, ComparisonRow[] Metrics)
{
    public string[] Optimisations { get; init; } = [];
    /// <summary>The "after" arm's <c>KEY=VALUE</c> settings.</summary>
    public string[] Settings { get; init; } = [];
    public string Version { get; init; } = Running.ExitSimVersion.Current;
}

/// <summary>
/// One metric before and after. <see cref="Delta"/> is the change of the means (after − before, in the
/// metric's stored unit) and <see cref="Ci95"/> the 95 % half-width of the paired difference (replication
/// i of one arm against replication i of the other, common random numbers): null when it is unknown
/// (see <see cref="Running.Metric.Estimate"/>). <see cref="DeltaPct"/> and <see cref="Ci95Pct"/> are the
/// same in percent of "before" (null without a "before" to divide by).
/// </summary>
public sealed record ComparisonRow(string Name, double Before, double After, double DeltaPct, double? Ci95Pct)
{
    public double Delta { get; init; } = After - Before;
    public double? Ci95 { get; init; }
}
