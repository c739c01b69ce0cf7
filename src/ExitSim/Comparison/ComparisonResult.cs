namespace ExitSim.Comparison;

/// <summary>A before/after comparison: data only.</summary>
public sealed record ComparisonResult(string Scenario, string Change, ulong Seed, int Replications, ComparisonRow[] Metrics);

/// <summary>
/// One metric before and after. <see cref="DeltaPct"/> is the change of the means in percent of
/// "before"; <see cref="Ci95Pct"/> is the 95 % half-width of the paired difference (replication i of
/// one arm against replication i of the other, common random numbers), also in percent of "before".
/// </summary>
public sealed record ComparisonRow(string Name, double Before, double After, double DeltaPct, double? Ci95Pct);
