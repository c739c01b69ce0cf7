using System.Diagnostics;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Units;

namespace ExitSim.Running;

/// <summary>Runs a scenario's replications on all cores; each has its own seeded random streams.</summary>
public static class ExperimentRunner
{
    /// <summary>The scenario with the run overrides applied (what the report describes).</summary>
    public static Scenario Apply(Scenario s, RunOptions o) => s with
    {
        Run = s.Run with
        {
            Seed = o.Seed ?? s.Run.Seed,
            Replications = o.Replications ?? s.Run.Replications,
            Duration = o.DurationNs is { } d ? Quantity.Ns(d) : s.Run.Duration,
        },
    };

    public static RunResult Run(Scenario scenario, RunOptions? options = null, RunProgress? progress = null, CancellationToken cancel = default)
    {
        options ??= new RunOptions();
        var s = Apply(scenario, options);
        WorkEstimate.Check(s);   // overrides (duration, replications) may take it past the limits
        var model = ModelBuilder.Build(s);
        int n = s.Run.Replications;
        var results = new ReplicationResult[n];
        var clock = Stopwatch.StartNew();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads), CancellationToken = cancel };
        try
        {
            Parallel.For(0, n, parallel, i =>
            {
                results[i] = new Replication(model, s.Run.Seed, i)
                    .Run(cancel, progress is null ? null : f => progress.Report(i, f));
                progress?.Report(i, 1);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            throw new OperationCanceledException(cancel);
        }
        return new RunResult { Scenario = s, Model = model, Replications = results, WallSeconds = clock.Elapsed.TotalSeconds, Optimisations = options.Optimisations };
    }
}
