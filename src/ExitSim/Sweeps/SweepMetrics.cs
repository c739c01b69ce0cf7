using ExitSim.Running;
using ExitSim.Simulation;

namespace ExitSim.Sweeps;

/// <summary>A sweep reports every metric of <see cref="MetricTable"/> that applies to a point, computed per replication.</summary>
public static class SweepMetrics
{
    public static double[] Of(SimulationModel m, ReplicationResult r)
    {
        var x = ReplicationMetrics.Of(m, r);
        return MetricTable.All.Select(metric => metric.Of(x)).ToArray();
    }

    /// <summary>Mean and 95 % half-width of each metric the point has: the workload ones only with a workload.</summary>
    public static MetricValue[] Summarise(IReadOnlyList<double[]> perReplication, bool hasWorkload) =>
        MetricTable.All.Select((metric, k) => (metric, k))
            .Where(x => x.metric.Applies(hasWorkload))
            .Select(x =>
            {
                var (mean, ci) = x.metric.Estimate(perReplication.Select(v => v[x.k]).ToArray());
                return new MetricValue(x.metric.Name, mean, ci);
            }).ToArray();
}
