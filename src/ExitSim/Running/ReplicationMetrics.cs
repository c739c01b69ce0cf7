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
    double GuestTimeFraction, double IoExitSharePct, double QemuMaxUtilisation,
    double ThroughputOpsPerSecond = 0, double P50OpLatencyNs = 0, double P99OpLatencyNs = 0, double P99StorageLatencyNs = 0,
    double HaltedFraction = 0, double PollFraction = 0, double MeanOpLatencyNs = 0)
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
        double vcpuTime = r.WindowNs * m.VcpuCount;
        var w = r.Workload;
        return new ReplicationMetrics(
            count / (windowS * m.VmCount),
            io / (windowS * m.VmCount),
            count == 0 ? 0 : r.Reasons.Sum(a => a.LatencySum) / count,
            count == 0 ? 0 : all.Quantile(0.99, min, max),
            // Of the time the vCPUs had work: halted time is neither guest nor exit overhead.
            r.Time.Busy > 0 ? r.Time.Guest / r.Time.Busy : 0,
            count == 0 ? 0 : 100.0 * io / count,
            r.QemuUtilisation.DefaultIfEmpty(0).Max(),
            w is null ? 0 : w.OperationsCompleted / (windowS * m.VmCount),
            w is null || w.OperationLatency.Total == 0 ? 0 : w.OperationLatency.Quantile(0.50),
            w is null || w.OperationLatency.Total == 0 ? 0 : w.OperationLatency.Quantile(0.99),
            w is null || w.StorageLatency.Total == 0 ? 0 : w.StorageLatency.Quantile(0.99),
            (r.Time.Idle + r.Time.Poll) / vcpuTime,
            r.Time.Poll / vcpuTime,
            w is null || w.OperationsCompleted == 0 ? 0 : w.OperationLatencySum / w.OperationsCompleted);
    }
}
