using System.Globalization;
using System.Text;
using ExitSim.Running;
using ExitSim.Units;

namespace ExitSim.Sweeps;

/// <summary>A sweep as a Markdown table, one row per point, with the SLO verdict when one is given.</summary>
public static class SweepMarkdownFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(SweepResult s, Slo? slo = null)
    {
        var w = new StringBuilder($"## Sweep of {s.Scenario}\n\n{s.Replications} replication(s) per point, seed {s.Seed}; ± is the 95 % confidence half-width.\n\n");
        // The workload columns only when the scenario has a workload (they are 0 otherwise).
        bool workload = s.Points.Any(p => p.Metric(MetricTable.Throughput.Name).Mean != 0);
        string extra = workload ? " throughput (ops/s) | p99 operation latency | p99 storage latency |" : "";
        w.Append("| " + string.Join(" | ", s.Vary.Select(a => a.Key)) + " | exits/s | mean exit latency | p99 exit latency | guest time | QEMU util. |" + extra + (slo is null ? "" : " SLO |") + "\n");
        w.Append("|" + string.Concat(Enumerable.Repeat("---|", s.Vary.Length + 5 + (workload ? 3 : 0) + (slo is null ? 0 : 1))) + "\n");
        foreach (var p in s.Points)
        {
            string Pm(Metric metric, Func<double, string> f) => p.Metric(metric.Name) is var m && m.Ci95 is { } c ? $"{f(m.Mean)} ± {f(c)}" : f(m.Mean);
            w.Append("| " + string.Join(" | ", p.Values) + " | " + Pm(MetricTable.ExitsPerSecond, UnitFormat.Rate) + " | " + Pm(MetricTable.MeanExitLatency, UnitFormat.Time) +
                     " | " + Pm(MetricTable.P99ExitLatency, UnitFormat.Time) + " | " + Pm(MetricTable.GuestTime, v => (100 * v).ToString("0.0", Inv) + "%") +
                     " | " + (100 * p.Metric(MetricTable.QemuUtilisation.Name).Mean).ToString("0.0", Inv) + "% |" +
                     (workload ? " " + Pm(MetricTable.Throughput, v => v.ToString("0", Inv)) + " | " + Pm(MetricTable.P99OpLatency, UnitFormat.Time) +
                                 " | " + Pm(MetricTable.P99StorageLatency, UnitFormat.Time) + " |" : "") +
                     (slo is null ? "" : slo.Met(p.Metric(slo.Metric)) ? " ok |" : " **missed** |") + "\n");
        }
        return w.ToString();
    }
}
