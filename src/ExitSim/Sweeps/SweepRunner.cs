using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Sweeps;

/// <summary>
/// Runs the cross product of the axes (the first axis varies slowest). Every (point, replication)
/// is one job on the thread pool; results are kept by index, so output does not depend on the
/// thread count. All points share the scenario's seed: common random numbers across points.
/// </summary>
public static class SweepRunner
{
    public static int PointCount(IReadOnlyList<SweepAxis> axes) => axes.Aggregate(1, (n, a) => checked(n * a.Values.Count));

    /// <summary>The values of point <paramref name="index"/>, one per axis.</summary>
    public static string[] ValuesOf(IReadOnlyList<SweepAxis> axes, int index)
    {
        var values = new string[axes.Count];
        for (int a = axes.Count - 1; a >= 0; a--)
        {
            values[a] = axes[a].Values[index % axes[a].Values.Count];
            index /= axes[a].Values.Count;
        }
        return values;
    }

    /// <summary>Point indices of shard <paramref name="shard"/> (0-based) of <paramref name="shards"/>: every point in exactly one shard.</summary>
    public static IEnumerable<int> ShardPoints(int totalPoints, int shard, int shards) =>
        Enumerable.Range(0, totalPoints).Where(i => i % shards == shard);

    /// <param name="options">Overrides of every point's run: section (seed, duration, replications) and the worker threads.</param>
    /// <param name="done">Points already computed (from an interrupted run): they are kept, not run again.</param>
    public static SweepResult Run(string yaml, string file, IReadOnlyList<SweepAxis> axes, RunOptions options,
        (int Index, int Count)? shard = null, RunProgress? progress = null, CancellationToken cancel = default, SweepResult? done = null)
    {
        CheckOverrides(axes, options);
        int total = PointCount(axes);
        var kept = done?.Points.ToDictionary(p => p.Index) ?? [];
        var mine = (shard is { } s ? ShardPoints(total, s.Index, s.Count) : Enumerable.Range(0, total)).ToArray();
        var indices = mine.Where(i => !kept.ContainsKey(i)).ToArray();
        var models = indices.Select(i =>
        {
            var values = ValuesOf(axes, i);
            var scenario = ScenarioPatcher.Apply(yaml, file, axes.Select((a, k) => (a.Key, values[k])).Where((_, k) => !axes[k].IsOptimisations).ToArray());
            // Optimisation sets are applied to the patched scenario, as compare --with does.
            for (int k = 0; k < axes.Count; k++)
                if (axes[k].IsOptimisations)
                {
                    try { scenario = Optimisations.OptimisationCatalog.Apply(scenario, SweepAxis.SetOf(values[k])); }
                    catch (Optimisations.OptimisationException e) { throw new FormatException($"--vary optimisations={values[k]}: {e.Message}"); }
                }
            var applied = ExperimentRunner.Apply(scenario, options);
            WorkEstimate.Check(applied);
            return ModelBuilder.Build(applied);
        }).ToArray();
        int reps = models.Length == 0 ? options.Replications ?? 1 : models[0].Scenario.Run.Replications;
        ulong seed = models.Length == 0 ? 0 : models[0].Scenario.Run.Seed;
        var metrics = new double[models.Length * reps][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads), CancellationToken = cancel };
        try
        {
            Parallel.For(0, metrics.Length, parallel, job =>
            {
                var model = models[job / reps];
                var result = new Replication(model, model.Scenario.Run.Seed, job % reps).Run(cancel);
                metrics[job] = SweepMetrics.Of(model, result);
                progress?.Report(job, 1);
            });
        }
        catch (Exception e) when (e is OperationCanceledException || (e is AggregateException a && a.InnerExceptions.All(x => x is OperationCanceledException)))
        {
            // Keep every point whose replications all finished, so the sweep can resume from them.
            throw new SweepInterruptedException(Result(Finished(complete: false)));
        }
        return Result(Finished(complete: true));

        SweepPoint[] Finished(bool complete) => indices
            .Select((index, p) => (index, p))
            .Where(x => complete || Enumerable.Range(x.p * reps, reps).All(j => metrics[j] is not null))
            .Select(x => new SweepPoint(x.index, ValuesOf(axes, x.index), SweepMetrics.Summarise(metrics.Skip(x.p * reps).Take(reps).ToArray(), models[x.p].Workload is not null)))
            .Concat(kept.Values).OrderBy(p => p.Index).ToArray();

        SweepResult Result(SweepPoint[] points) => new()
        {
            Scenario = models.Length > 0 ? models[0].Scenario.Name : done?.Scenario ?? Path.GetFileNameWithoutExtension(file),
            Seed = models.Length > 0 ? seed : done?.Seed ?? 0,
            Replications = models.Length > 0 ? reps : done?.Replications ?? reps,
            Vary = axes.ToArray(), TotalPoints = total,
            Shard = shard is { } sh ? $"{sh.Index}/{sh.Count}" : null, Points = points,
        };
    }

    /// <summary>An override and an axis over the same run: key would each set it for every point: refused, not silently ordered.</summary>
    private static void CheckOverrides(IReadOnlyList<SweepAxis> axes, RunOptions options)
    {
        foreach (var (key, option, given) in new[] { ("run.seed", "--seed", options.Seed is not null), ("run.duration", "--duration", options.DurationNs is not null),
                                                    ("run.replications", "--replications", options.Replications is not null) })
            if (given && axes.Any(a => a.Key == key))
                throw new FormatException($"{option} and --vary {key} both set {key}: give one of them");
    }

    /// <summary>Combines shard results into the whole sweep; fails if a point is missing or the shards disagree.</summary>
    public static SweepResult Merge(IReadOnlyList<SweepResult> parts)
    {
        if (parts.Count == 0) throw new FormatException("nothing to merge");
        var first = parts[0];
        foreach (var p in parts.Skip(1))
            if (p.Scenario != first.Scenario || p.Seed != first.Seed || p.Replications != first.Replications || p.TotalPoints != first.TotalPoints ||
                !p.Vary.SequenceEqual(first.Vary) || p.Version != first.Version)
                throw new FormatException("the parts come from different sweeps (scenario, seed, replications, --vary or ExitSim version differ)");
        var points = parts.SelectMany(p => p.Points).OrderBy(p => p.Index).ToArray();
        var duplicate = points.GroupBy(p => p.Index).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new FormatException($"point {duplicate.Key} appears in more than one part");
        var missing = Enumerable.Range(0, first.TotalPoints).Except(points.Select(p => p.Index)).ToArray();
        if (missing.Length > 0) throw new FormatException($"{missing.Length} of {first.TotalPoints} points are missing (e.g. point {missing[0]}): is a shard absent?");
        return first with { Shard = null, Points = points };
    }
}
