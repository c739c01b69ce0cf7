using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Comparison;

/// <summary>
/// Runs two arms with the same seed and replication numbers. Random streams are keyed by (seed,
/// replication, purpose, reason, vCPU), so what the change does not touch draws the same numbers in
/// both arms (common random numbers), and the paired differences carry far less noise than two
/// independent runs.
/// </summary>
public static class ComparisonRunner
{
    /// <param name="optimisations">The plug-ins applied to the "after" arm, and <paramref name="settings"/> its KEY=VALUE changes: recorded in the result.</param>
    /// <param name="progress">Given the two arms as its steps, and advanced through them.</param>
    public static ComparisonResult Run(Scenario before, Scenario after, string change, RunOptions options, CancellationToken cancel = default,
        IReadOnlyList<string>? optimisations = null, IReadOnlyList<string>? settings = null, StepProgress? progress = null)
    {
        after = after with { Run = after.Run with { Seed = before.Run.Seed, Replications = before.Run.Replications } };
        progress?.Plan([("before", 1), ("after", 1)]);
        var a = ExperimentRunner.Run(before, options, progress?.Next(Replications(before, options)), cancel);
        return Run(a, after, change, options, cancel, optimisations, settings, progress);
    }

    /// <summary>The replications an arm runs (the slots of its progress).</summary>
    internal static int Replications(Scenario s, RunOptions options) => ExperimentRunner.Apply(s, options).Run.Replications;

    /// <summary>
    /// The same comparison against a "before" arm that has already been run with <paramref name="options"/>
    /// (its seed and replication count are used for the "after" arm), so that several changes to one
    /// scenario — <c>exitsim explain</c> — run the "before" arm once. Gives exactly what the other overload gives.
    /// </summary>
    /// <param name="progress">Advanced by one step, for the "after" arm (the caller has planned the steps).</param>
    public static ComparisonResult Run(RunResult before, Scenario after, string change, RunOptions options, CancellationToken cancel = default,
        IReadOnlyList<string>? optimisations = null, IReadOnlyList<string>? settings = null, StepProgress? progress = null)
    {
        var a = before;
        after = after with { Run = after.Run with { Seed = a.Scenario.Run.Seed, Replications = a.Scenario.Run.Replications } };
        var b = ExperimentRunner.Run(after, options, progress?.Next(Replications(after, options)), cancel);
        var ma = a.Replications.Select(r => ReplicationMetrics.Of(a.Model, r)).ToArray();
        var mb = b.Replications.Select(r => ReplicationMetrics.Of(b.Model, r)).ToArray();
        bool workload = a.Model.Workload is not null || b.Model.Workload is not null;
        // The workload metrics only when an arm has a workload (metric table order).
        var rows = MetricTable.All.Where(m => m.Applies(workload)).Select(metric =>
        {
            string name = metric.Name;
            var k = metric.Of;
            double x = ma.Average(k), y = mb.Average(k);
            var (_, diffCi) = metric.Estimate(ma.Zip(mb, (p, q) => k(q) - k(p)).ToArray());
            double delta = x == 0 ? (y == 0 ? 0 : double.PositiveInfinity) : 100 * (y - x) / x;
            double? ci = diffCi is not { } h || x == 0 ? null : 100 * h / Math.Abs(x);
            return new ComparisonRow(name, x, y, delta, ci) { Ci95 = diffCi };
        }).ToArray();
        return new ComparisonResult(a.Scenario.Name, change, a.Scenario.Run.Seed, a.Replications.Count, rows)
        {
            Optimisations = optimisations?.ToArray() ?? [],
            Settings = settings?.ToArray() ?? [],
        };
    }
}
