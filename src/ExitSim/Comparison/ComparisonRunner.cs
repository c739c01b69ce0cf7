using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Statistics;

namespace ExitSim.Comparison;

/// <summary>
/// Runs two arms with the same seed and replication numbers. Random streams are keyed by (seed,
/// replication, purpose, reason, vCPU), so what the change does not touch draws the same numbers in
/// both arms (common random numbers), and the paired differences carry far less noise than two
/// independent runs.
/// </summary>
public static class ComparisonRunner
{
    public static readonly string[] Names =
        ["exits_per_second", "io_exits_per_second", "mean_exit_latency_ns", "p99_exit_latency_ns", "io_exit_share_pct", "guest_time_fraction", "qemu_max_utilisation"];

    public static ComparisonResult Run(Scenario before, Scenario after, string change, RunOptions options, CancellationToken cancel = default)
    {
        after = after with { Run = after.Run with { Seed = before.Run.Seed, Replications = before.Run.Replications } };
        var a = ExperimentRunner.Run(before, options, cancel: cancel);
        var b = ExperimentRunner.Run(after, options, cancel: cancel);
        var ma = a.Replications.Select(r => Metrics(a.Model, r)).ToArray();
        var mb = b.Replications.Select(r => Metrics(b.Model, r)).ToArray();
        var rows = Names.Select((name, k) =>
        {
            double x = ma.Average(m => m[k]), y = mb.Average(m => m[k]);
            var diff = Estimate.Of(ma.Zip(mb, (p, q) => q[k] - p[k]).ToArray());
            double delta = x == 0 ? (y == 0 ? 0 : double.PositiveInfinity) : 100 * (y - x) / x;
            double? ci = double.IsNaN(diff.HalfWidth95) || x == 0 ? null : 100 * diff.HalfWidth95 / Math.Abs(x);
            return new ComparisonRow(name, x, y, delta, ci);
        }).ToArray();
        return new ComparisonResult(before.Name, change, a.Scenario.Run.Seed, a.Replications.Count, rows);
    }

    private static double[] Metrics(SimulationModel m, ReplicationResult r)
    {
        var x = ReplicationMetrics.Of(m, r);
        return [x.ExitsPerSecond, x.IoExitsPerSecond, x.MeanExitLatencyNs, x.P99ExitLatencyNs, x.IoExitSharePct, x.GuestTimeFraction, x.QemuMaxUtilisation];
    }
}
