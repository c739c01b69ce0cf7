using ExitSim.Running;
using ExitSim.Simulation;
using ExitSim.Statistics;

namespace ExitSim.Sweeps;

/// <summary>The metrics a sweep reports for each point, computed per replication (names as in JSON).</summary>
public static class SweepMetrics
{
    /// <summary>The workload ones (last three) are 0 for scenarios without a workload.</summary>
    public static readonly string[] Names =
        ["exits_per_second", "mean_exit_latency_ns", "p99_exit_latency_ns", "guest_time_fraction", "io_exit_share_pct", "qemu_max_utilisation",
         "throughput_ops_per_second", "p99_op_latency_ns", "p99_storage_latency_ns"];

    public static double[] Of(SimulationModel m, ReplicationResult r)
    {
        var x = ReplicationMetrics.Of(m, r);
        return [x.ExitsPerSecond, x.MeanExitLatencyNs, x.P99ExitLatencyNs, x.GuestTimeFraction, x.IoExitSharePct, x.QemuMaxUtilisation,
                x.ThroughputOpsPerSecond, x.P99OpLatencyNs, x.P99StorageLatencyNs];
    }

    public static MetricValue[] Summarise(IReadOnlyList<double[]> perReplication) =>
        Names.Select((name, k) =>
        {
            var e = Estimate.Of(perReplication.Select(v => v[k]).ToArray());
            return new MetricValue(name, e.Mean, double.IsNaN(e.HalfWidth95) ? null : e.HalfWidth95);
        }).ToArray();
}
