namespace ExitSim.Sweeps;

/// <summary>A sweep's outcome: data only (formatters write CSV, JSON and Markdown from it).</summary>
public sealed record SweepResult
{
    public required string Scenario { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>The ExitSim version that ran the points.</summary>
    public string Version { get; init; } = Running.ExitSimVersion.Current;
    public required int Replications { get; init; }
    public required SweepAxis[] Vary { get; init; }
    public required int TotalPoints { get; init; }
    /// <summary>"i/N" for a partial result written by <c>--shard</c>; null for a whole sweep.</summary>
    public string? Shard { get; init; }
    public required SweepPoint[] Points { get; init; }
}

/// <summary>One point of the cross product: its index, the value of each axis, and the metrics it has (no workload ones without a workload).</summary>
public sealed record SweepPoint(int Index, string[] Values, MetricValue[] Metrics)
{
    public MetricValue? Find(string name) => Metrics.FirstOrDefault(m => m.Name == name);

    public MetricValue Metric(string name) => Find(name) ?? throw new InvalidOperationException($"point {Index} has no {name} (the scenario has no workload)");
}

/// <summary>
/// A metric's mean over replications and the half-width of its 95 % interval: null with one replication,
/// or when a percentile's replications agreed to the histogram bucket (too few to see its spread).
/// </summary>
public sealed record MetricValue(string Name, double Mean, double? Ci95);
