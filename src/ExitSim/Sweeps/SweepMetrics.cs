using ExitSim.Running;
using ExitSim.Simulation;
using ExitSim.Statistics;

namespace ExitSim.Sweeps;

/// <summary>The metrics a sweep reports for each point (from <see cref="MetricTable"/>), computed per replication.</summary>
public static class SweepMetrics
{
    /// <summary>In the order of the CSV columns; the workload ones are 0 for scenarios without a workload.</summary>
    public static readonly IReadOnlyList<Metric> Reported =
    [
        MetricTable.ExitsPerSecond, MetricTable.MeanExitLatency, MetricTable.P99ExitLatency, MetricTable.GuestTime, MetricTable.IoExitShare,
        MetricTable.QemuUtilisation, MetricTable.Throughput, MetricTable.P99OpLatency, MetricTable.P99StorageLatency,
    ];

    public static IEnumerable<string> Names => Reported.Select(m => m.Name);

    public static double[] Of(SimulationModel m, ReplicationResult r)
    {
        var x = ReplicationMetrics.Of(m, r);
        return Reported.Select(metric => metric.Of(x)).ToArray();
    }

    public static MetricValue[] Summarise(IReadOnlyList<double[]> perReplication) =>
        Reported.Select((metric, k) =>
        {
            var e = Estimate.Of(perReplication.Select(v => v[k]).ToArray());
            return new MetricValue(metric.Name, e.Mean, double.IsNaN(e.HalfWidth95) ? null : e.HalfWidth95);
        }).ToArray();
}
