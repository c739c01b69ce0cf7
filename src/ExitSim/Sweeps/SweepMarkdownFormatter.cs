using System.Globalization;
using System.Text;
using ExitSim.Running;
using ExitSim.Units;

namespace ExitSim.Sweeps;

/// <summary>A sweep as a Markdown table, one row per point, with the SLO verdict when one is given.</summary>
public static class SweepMarkdownFormatter
{
    /// <summary>The metrics a Markdown table has room for (CSV and JSON have every one), where the points have them.</summary>
    public static readonly IReadOnlyList<Metric> Columns =
    [
        MetricTable.ExitsPerSecond, MetricTable.MeanExitLatency, MetricTable.P99ExitLatency, MetricTable.GuestTime, MetricTable.QemuUtilisation,
        MetricTable.Throughput, MetricTable.P99OpLatency, MetricTable.P99StorageLatency,
    ];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(SweepResult s, Slo? slo = null)
    {
        var w = new StringBuilder($"## Sweep of {s.Scenario}\n\n{s.Replications} replication(s) per point, seed {s.Seed}, ExitSim {s.Version}; " +
                                  "± is the 95 % confidence half-width.\n\n");
        var columns = Columns.Where(m => s.Points.Any(p => p.Find(m.Name) is not null)).ToArray();
        w.Append("| " + string.Join(" | ", s.Vary.Select(a => a.Key).Concat(columns.Select(Heading))) + " |" + (slo is null ? "" : " SLO |") + "\n");
        w.Append("|" + string.Concat(Enumerable.Repeat("---|", s.Vary.Length + columns.Length + (slo is null ? 0 : 1))) + "\n");
        foreach (var p in s.Points)
        {
            w.Append("| " + string.Join(" | ", p.Values.Concat(columns.Select(m => Cell(m, p.Find(m.Name), s.Replications)))) + " |");
            if (slo is not null) w.Append(p.Find(slo.Metric) is { } v && slo.Met(v) ? " ok |" : " **missed** |");
            w.Append('\n');
        }
        return w.ToString();
    }

    private static string Heading(Metric m) => m.Unit == "ops/s" ? $"{m.Label} (ops/s)" : m.Label;

    private static string Cell(Metric m, MetricValue? v, int replications) => v switch
    {
        null => "–",
        { Ci95: { } ci } => $"{Value(m, v.Mean)} ± {Value(m, ci)}",
        _ when replications >= 2 => $"{Value(m, v.Mean)} ± ? (n={replications} too small)",
        _ => Value(m, v.Mean),
    };

    private static string Value(Metric m, double v) => m.Unit switch
    {
        "/s" => UnitFormat.Rate(v),
        "ns" => UnitFormat.Time(v),
        "ops/s" => v.ToString("0", Inv),
        _ => (m.Scale * v).ToString("0.0", Inv) + "%",
    };
}
