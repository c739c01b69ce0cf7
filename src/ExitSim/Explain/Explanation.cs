using ExitSim.Comparison;
using ExitSim.Reports;

namespace ExitSim.Explain;

/// <summary>
/// What <c>exitsim explain</c> found for one scenario, as plain data (the formatters of <see cref="ExplainFormats"/> only
/// format it): the KPIs against their targets, where exit time goes, and the optimisation plug-ins
/// ranked by their simulated effect. Everything comes from one quick run of the scenario and one
/// paired run per change (common random numbers), with the settings recorded here.
/// </summary>
public sealed record Explanation
{
    public required string Scenario { get; init; }
    public string? Description { get; init; }
    public required string Vendor { get; init; }
    public required ulong Seed { get; init; }
    public required int Replications { get; init; }
    /// <summary>Measured simulated time per replication (the quick setting, not the scenario's).</summary>
    public required double SimulatedSeconds { get; init; }
    public required double WarmupSeconds { get; init; }
    /// <summary>The operation of the workload, or null for a scenario whose exits are given only as rates.</summary>
    public string? Operation { get; init; }
    /// <summary>The quick run of the scenario as it is: KPIs, reasons and phases come from it.</summary>
    public required RunReport Report { get; init; }
    /// <summary>The KPIs whose target the scenario misses (all of them are in <see cref="RunReport.Kpis"/>).</summary>
    public required KpiRow[] MissedKpis { get; init; }
    /// <summary>The exit reasons that take most of the exit time, largest first.</summary>
    public required ReasonHotspot[] Hotspots { get; init; }
    /// <summary>Exit time by phase over all exits, largest first.</summary>
    public required PhaseShare[] Phases { get; init; }
    public required RankingMetric Metric { get; init; }
    /// <summary>The changes that were run, best first by <see cref="Metric"/>.</summary>
    public required Recommendation[] Ranking { get; init; }
    /// <summary>Plug-ins that were not run, each with why.</summary>
    public required SkippedOptimisation[] Skipped { get; init; }
}

/// <summary>
/// One exit reason's share of exit time, its phases (largest first) and the dominant ones: the
/// largest phases that together make up at least two thirds of the reason's time.
/// </summary>
public sealed record ReasonHotspot(
    string Reason, string Path, double TimePct, double SamplesPct, double RatePerSecond, double MeanNs, PhaseShare[] Phases, PhaseShare[] Dominant);

/// <summary>A phase's share of some exit time: <see cref="Label"/> says who spends it (hardware, KVM, QEMU …).</summary>
public sealed record PhaseShare(string Phase, string Label, double SharePct, double MeanPerExitNs);

/// <summary>
/// What the ranking sorts by. <see cref="Name"/> is a comparison metric's JSON name
/// (<c>throughput_ops_per_second</c>) or <c>exit_time_share</c>: exits/s × mean exit latency over the
/// vCPUs' time, the share of vCPU time spent in exits.
/// </summary>
public sealed record RankingMetric(string Name, string Label, bool HigherIsBetter, string Definition);

/// <summary>
/// One change that was simulated: a single plug-in, or the scenario's own <c>optimisations:</c>
/// together. <see cref="Effect"/> is the ranking metric before and after, with the 95 % CI of the
/// paired difference (in % of "before"); <see cref="Comparison"/> holds every metric.
/// </summary>
public sealed record Recommendation(
    int Rank, string Name, string[] Optimisations, bool Combination, string Summary,
    ComparisonRow Effect, ComparisonRow ExitsPerSecond, ComparisonRow MeanExitLatency, ComparisonResult Comparison)
{
    /// <summary>The change is larger than its 95 % half-width (it is not noise at this run length).</summary>
    public bool Significant => Effect.Ci95Pct is { } ci && Math.Abs(Effect.DeltaPct) > ci;
}

public enum SkipKind { Refused, AlreadyInEffect, NoEffect }

/// <summary>A plug-in that explain did not rank, and why: refused for this scenario, already on, or changing nothing in it.</summary>
public sealed record SkippedOptimisation(string Name, SkipKind Kind, string Reason);
