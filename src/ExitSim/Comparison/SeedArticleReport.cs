using System.Globalization;
using System.Text;
using ExitSim.Running;
using ExitSim.Units;

namespace ExitSim.Comparison;

/// <summary>One claim of the seed's table next to ExitSim's comparison of that workload.</summary>
public sealed record SeedCell(SeedRow Row, Metric Metric, double SeedPct, ComparisonRow Got)
{
    public bool WithinTolerance => Math.Abs(Got.DeltaPct - SeedPct) <= SeedArticle.TablePoints;
}

/// <summary>
/// The seed article's claims next to what ExitSim's comparisons of the shipped scenarios give
/// (results/seed-article.*), keyed by scenario name; scenarios not compared are left out.
/// </summary>
public static class SeedArticleReport
{
    /// <summary>The metrics of the seed's table, in its column order.</summary>
    public static readonly IReadOnlyList<Metric> TableMetrics = [MetricTable.ExitsPerSecond, MetricTable.MeanExitLatency, MetricTable.Throughput];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IEnumerable<SeedCell> Cells(IReadOnlyDictionary<string, ComparisonResult> results) =>
        from row in SeedArticle.Table
        where results.ContainsKey(row.Scenario)
        from m in TableMetrics
        select new SeedCell(row, m, SeedPct(row, m), Row(results[row.Scenario], m));

    /// <summary>One row per (workload, metric): the claim, ExitSim's change and its CI, and whether it is within tolerance.</summary>
    public static string Csv(IReadOnlyDictionary<string, ComparisonResult> results)
    {
        var w = new StringBuilder("scenario,metric,seed_change_pct,exitsim_change_pct,exitsim_ci95_pct,within_tolerance\n");
        foreach (var c in Cells(results))
            w.Append(string.Format(Inv, "{0},{1},{2},{3:R},{4:R},{5}\n", c.Row.Scenario, c.Metric.Name, c.SeedPct, c.Got.DeltaPct, c.Got.Ci95Pct ?? 0,
                c.WithinTolerance ? "true" : "false"));
        return w.ToString();
    }

    /// <summary>The seed's claims next to ExitSim's numbers, with the tolerances the issue sets, as Markdown.</summary>
    public static string Markdown(IReadOnlyDictionary<string, ComparisonResult> results)
    {
        string Pct(double v) => v.ToString("+0.0;-0.0;0.0", Inv) + " %";
        var w = new StringBuilder("# The seed article's results, reproduced\n\n" +
            "`exitsim compare scenarios/<name>.yaml --with <optimisations>`, each scenario's own seed and run settings; " +
            "ExitSim's number first, the seed's in brackets, ✓ when within the tolerance (±3 points; ±10 %, ±15 %, ±10 % for the case).\n\n" +
            $"| workload | optimisations | {string.Join(" | ", TableMetrics.Select(m => m.Label))} |\n|---|---|{string.Concat(TableMetrics.Select(_ => "---:|"))}\n");
        foreach (var row in SeedArticle.Table.Where(r => results.ContainsKey(r.Scenario)))
        {
            var cells = Cells(results).Where(c => c.Row == row).Select(c => $"{Pct(c.Got.DeltaPct)} ({Pct(c.SeedPct)}){(c.WithinTolerance ? " ✓" : " ✗")}");
            w.Append($"| {row.Label} | {row.With} | {string.Join(" | ", cells)} |\n");
        }
        var e = SeedArticle.Ecommerce;
        if (results.TryGetValue(e.Scenario, out var ec))
        {
            var io = Row(ec, MetricTable.IoExitsPerSecond);
            var p99 = Row(ec, MetricTable.P99StorageLatency);
            var x = Row(ec, MetricTable.Throughput);
            string Ok(double v, double target, double rel) => Math.Abs(v / target - 1) <= rel ? " ✓" : " ✗";
            w.Append($"\nE-commerce database, `--with {e.With}`:\n\n| metric | before | after |\n|---|---:|---:|\n");
            w.Append($"| I/O exits/s | {io.Before:0} ({e.IoExitsBefore:0}){Ok(io.Before, e.IoExitsBefore, SeedArticle.IoExitsRel)} | {io.After:0} ({e.IoExitsAfter:0}){Ok(io.After, e.IoExitsAfter, SeedArticle.IoExitsRel)} |\n");
            w.Append($"| p99 storage latency | {UnitFormat.Time(p99.Before)} ({UnitFormat.Time(e.P99StorageBeforeNs)}){Ok(p99.Before, e.P99StorageBeforeNs, SeedArticle.P99Rel)} | " +
                     $"{UnitFormat.Time(p99.After)} ({UnitFormat.Time(e.P99StorageAfterNs)}){Ok(p99.After, e.P99StorageAfterNs, SeedArticle.P99Rel)} |\n");
            w.Append(string.Format(Inv, "| throughput | ×1 | ×{0:0.00} (×{1}){2} |\n", x.After / x.Before, e.ThroughputRatio, Ok(x.After / x.Before, e.ThroughputRatio, SeedArticle.ThroughputRel)));
        }
        var outside = SeedArticle.Departures.Where(d => results.ContainsKey(d.Scenario)).ToArray();
        if (outside.Length > 0)
        {
            w.Append("\n## Out of tolerance, and why\n\nNo parameter was re-fitted to bring these back; each follows from a mechanism as KVM or QEMU has it:\n\n");
            foreach (var d in outside)
                w.Append($"- {d.Scenario}, {d.Metric}: {d.Why}.\n");
        }
        return w.ToString();
    }

    private static ComparisonRow Row(ComparisonResult c, Metric m) => c.Metrics.Single(r => r.Name == m.Name);

    private static double SeedPct(SeedRow row, Metric m) =>
        m == MetricTable.ExitsPerSecond ? row.ExitsPct : m == MetricTable.MeanExitLatency ? row.LatencyPct : row.ThroughputPct;
}
