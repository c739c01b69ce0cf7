using System.CommandLine;
using System.Globalization;
using ExitSim.Running;
using ExitSim.Sweeps;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim sweep FILE --vary KEY=VALUES ... [--slo S] [--shard i/N] [-o PATH]</c> and
/// <c>exitsim merge PARTS... -o OUT</c>: what-if grids with confidence intervals, on all cores or
/// split over machines (each shard is a deterministic share of the points).
/// </summary>
public static class SweepCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Scenario YAML file" };
        var vary = new Option<string[]>("--vary") { Description = "KEY=VALUES: 2,4,8 | 1..16 | 10k/s..80k/s:8 (repeat for a cross product; the first is the capacity axis of --slo)", Required = true, AllowMultipleArgumentsPerToken = false };
        var replications = new Option<string?>("--replications", "-r") { Description = "Replications per point (default: the scenario's)" };
        var format = new Option<string?>("--format", "-f") { Description = "csv, json or markdown (default: from -o's extension, else markdown)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write here instead of stdout" };
        var slo = new Option<string?>("--slo") { Description = "Objective such as p99_exit_latency_ns<=50us: prints the largest first-axis value that meets it with 95 % confidence" };
        var threads = new Option<string?>("--threads") { Description = "Worker threads (default: all cores); results do not depend on it" };
        var shard = new Option<string?>("--shard") { Description = "i/N: run only shard i (0-based) of N and write a partial JSON result to -o (combine with exitsim merge)" };
        var plot = new Option<string?>("--plot") { Description = "Write a chart per metric against the first swept key (PNG and SVG) into this directory" };
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted sweep from the partial result it saved" };
        var cmd = new Command("sweep", "Run a scenario over a grid of values, with confidence intervals") { file, vary, replications, format, output, slo, threads, shard, plot, resume };
        cmd.SetAction(pr =>
        {
            string path = pr.GetValue(file)!;
            var axes = pr.GetValue(vary)!.Select(v => Guard(() => SweepAxis.Parse(v))).ToArray();
            var objective = pr.GetValue(slo) is { } s ? Guard(() => Slo.Parse(s)) : null;
            var shardSpec = Shard(pr.GetValue(shard));
            string? outPath = pr.GetValue(output);
            if (shardSpec is not null && outPath is null) throw new UsageException("--shard writes a partial result: give -o PATH (then: exitsim merge PARTS... -o OUT)");
            string fmt = shardSpec is not null ? "json" : Format(pr.GetValue(format), outPath);
            string yaml = File.Exists(path) ? File.ReadAllText(path) : throw new Scenarios.ScenarioException(path, 1, 1, "no such file");
            var baseScenario = Scenarios.ScenarioLoader.Parse(yaml, path); // the base scenario must be valid on its own
            int total = SweepRunner.PointCount(axes);
            int? reps = CliOptions.Count(pr.GetValue(replications), "--replications", 1);
            int mine = shardSpec is { } sh ? SweepRunner.ShardPoints(total, sh.Index, sh.Count).Count() : total;
            var progress = new RunProgress(mine * (reps ?? baseScenario.Run.Replications));
            var done = pr.GetValue(resume) is { } resumeFrom ? Resumed(resumeFrom, axes, total) : null;
            SweepResult result;
            try
            {
                using (new ConsoleProgress(progress, $"sweeping {mine} points"))
                    result = Guard(() => SweepRunner.Run(yaml, path, axes, reps,
                        CliOptions.Count(pr.GetValue(threads), "--threads", 1) ?? Environment.ProcessorCount, shardSpec, progress, ctx.Cancel, done));
            }
            catch (SweepInterruptedException e)
            {
                string saved = (outPath ?? "sweep") + ".partial.json";
                AtomicFiles.WriteFile(saved, SweepFormats.Json(e.Partial));
                ctx.Error.WriteLine($"exitsim: interrupted: {e.Partial.Points.Length} of {mine} points done, saved to {saved}; " +
                                    $"resume with the same command plus --resume {saved}");
                return ExitCodes.Interrupted;
            }
            Write(ctx, result, fmt, outPath, objective);
            if (pr.GetValue(plot) is { } plotDir && shardSpec is null)
                // Workload metrics only where the scenario has a workload (they are 0 otherwise).
                foreach (var metric in SweepMetrics.Names.Where(n => result.Points.Any(p => p.Metric(n).Mean != 0)))
                    new Plots.SweepChart(result, metric, objective).Write(Path.Combine(plotDir, "sweep-" + metric.Replace('_', '-')));
            if (objective is not null && shardSpec is null)
                foreach (var a in SloSearch.Find(result, objective))
                    ctx.Out.WriteLine($"capacity: {objective}: largest {axes[0].Key} meeting it with 95 % confidence" +
                                      (a.Others.Length > 0 ? $" (at {string.Join(", ", axes.Skip(1).Select((x, k) => $"{x.Key}={a.Others[k]}"))})" : "") +
                                      $": {a.LargestMeeting ?? "none (the first value already misses it)"}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static Command CreateMerge(CliContext ctx)
    {
        var parts = new Argument<string[]>("parts") { Description = "Partial results written by sweep --shard", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Merged result (format from the extension: .json, .csv, .md)", Required = true };
        var cmd = new Command("merge", "Combine sharded sweep results into exactly what the unsharded sweep writes") { parts, output };
        cmd.SetAction(pr =>
        {
            var results = pr.GetValue(parts)!.Select(p =>
            {
                try { return SweepFormats.ReadJson(File.ReadAllText(p)); }
                catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException or FileNotFoundException or FormatException)
                { throw new UsageException($"{p}: not a partial sweep result written by exitsim sweep --shard ({e.Message.Split('\n')[0]})"); }
            }).ToArray();
            var merged = Guard(() => SweepRunner.Merge(results));
            string outPath = pr.GetValue(output)!;
            Write(ctx, merged, Format(null, outPath), outPath, null);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static SweepResult Resumed(string path, IReadOnlyList<SweepAxis> axes, int total)
    {
        SweepResult partial;
        try { partial = SweepFormats.ReadJson(File.ReadAllText(path)); }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException or IOException or FormatException)
        { throw new UsageException($"--resume: {path} is not a partial sweep result ({e.Message.Split('\n')[0]})"); }
        if (!partial.Vary.SequenceEqual(axes) || partial.TotalPoints != total)
            throw new UsageException($"--resume: {path} was saved by a sweep with other --vary values");
        return partial;
    }

    private static void Write(CliContext ctx, SweepResult r, string fmt, string? outPath, Slo? slo)
    {
        string text = fmt switch { "csv" => SweepFormats.Csv(r), "json" => SweepFormats.Json(r), _ => SweepFormats.Markdown(r, slo) };
        if (outPath is null) { ctx.Out.Write(text); return; }
        AtomicFiles.WriteFile(outPath, text);
        ctx.Out.WriteLine($"wrote {outPath} ({r.Points.Length} of {r.TotalPoints} points{(r.Shard is null ? "" : $", shard {r.Shard}")})");
    }

    private static string Format(string? format, string? outPath)
    {
        string f = (format ?? Path.GetExtension(outPath ?? ".md").TrimStart('.')).ToLowerInvariant();
        return f switch
        {
            "csv" => "csv",
            "json" => "json",
            "md" or "markdown" or "" => "markdown",
            _ => throw new UsageException($"--format: unknown sweep format '{f}' (use csv, json or markdown)"),
        };
    }

    private static (int Index, int Count)? Shard(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n)
            return (i, n);
        throw new UsageException($"--shard: expected i/N with 0 <= i < N (e.g. 0/4 — a Slurm or Kubernetes job index), got '{text}'");
    }

    private static T Guard<T>(Func<T> f)
    {
        try { return f(); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }
}
