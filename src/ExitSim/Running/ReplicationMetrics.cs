using ExitSim.Model;
using ExitSim.Simulation;
using ExitSim.Statistics;

namespace ExitSim.Running;

/// <summary>
/// The headline numbers of one replication (rates per VM). Reports, sweeps and comparisons take
/// their per-replication values — and so their confidence intervals — from here.
/// </summary>
public readonly record struct ReplicationMetrics(
    double ExitsPerSecond, double IoExitsPerSecond, double MeanExitLatencyNs, double P99ExitLatencyNs,
    double GuestTimeFraction, double IoExitSharePct, double QemuMaxUtilisation)
{
    public static ReplicationMetrics Of(SimulationModel m, ReplicationResult r)
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
        return new ReplicationMetrics(
            count / (windowS * m.VmCount),
            io / (windowS * m.VmCount),
            count == 0 ? 0 : r.Reasons.Sum(a => a.LatencySum) / count,
            count == 0 ? 0 : all.Quantile(0.99, min, max),
            r.Time.Guest / (r.WindowNs * m.VcpuCount),
            count == 0 ? 0 : 100.0 * io / count,
            r.QemuUtilisation.DefaultIfEmpty(0).Max());
    }
}
