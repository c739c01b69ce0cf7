using ExitSim.Model;
using ExitSim.Simulation;
using ExitSim.Statistics;

namespace ExitSim.Sweeps;

/// <summary>The metrics a sweep reports for each point, computed per replication (names as in JSON).</summary>
public static class SweepMetrics
{
    public static readonly string[] Names =
        ["exits_per_second", "mean_exit_latency_ns", "p99_exit_latency_ns", "guest_time_fraction", "io_exit_share_pct", "qemu_max_utilisation"];

    public static double[] Of(SimulationModel m, ReplicationResult r)
    {
        long count = r.Reasons.Sum(a => a.Count);
        double windowS = r.WindowNs / 1e9;
        var all = new LogHistogram();
        double min = double.PositiveInfinity, max = 0;
        foreach (var a in r.Reasons)
        {
            all.Add(a.Histogram);
            if (a.Count > 0) { min = Math.Min(min, a.Min); max = Math.Max(max, a.Max); }
        }
        long io = m.Reasons.Select((x, i) => x.Category == ExitCategory.Io ? r.Reasons[i].Count : 0).Sum();
        return
        [
            count / (windowS * m.VmCount),
            count == 0 ? 0 : r.Reasons.Sum(a => a.LatencySum) / count,
            count == 0 ? 0 : all.Quantile(0.99, min, max),
            r.Time.Guest / (r.WindowNs * m.VcpuCount),
            count == 0 ? 0 : 100.0 * io / count,
            r.QemuUtilisation.DefaultIfEmpty(0).Max(),
        ];
    }

    public static MetricValue[] Summarise(IReadOnlyList<double[]> perReplication) =>
        Names.Select((name, k) =>
        {
            var e = Estimate.Of(perReplication.Select(v => v[k]).ToArray());
            return new MetricValue(name, e.Mean, double.IsNaN(e.HalfWidth95) ? null : e.HalfWidth95);
        }).ToArray();
}
