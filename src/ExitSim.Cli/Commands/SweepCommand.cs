using System.CommandLine;
using System.Globalization;
using ExitSim.Cli.Outputs;
using ExitSim.Files;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Sweeps;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim sweep FILE --vary KEY=VALUES ... [--slo S] [--shard i/N] [-o FILE]</c>: what-if grids with
/// confidence intervals, on all cores or split over machines (each shard is a deterministic share of the
/// points; <see cref="MergeCommand"/> joins them).
/// </summary>
public static class SweepCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Scenario YAML file" };
        var vary = new Option<string[]>("--vary") { Description = "KEY=VALUES: 2,4,8 | 1..16 | 10k/s..80k/s:8 (repeat for a cross product; the first is the capacity axis of --slo)", Required = true, AllowMultipleArgumentsPerToken = false };
        var overrides = new RunOverrideOptions(replications: "Replications per point (overrides run.replications)");
        var format = new FormatOption("sweep", SweepFormats.Supported, OutputFormat.Markdown, fromOutFile: true);
        var output = CliOptions.OutFile("Write the sweep to this file instead of standard output (with --shard: the partial JSON result)");
        var slo = new Option<string?>("--slo") { Description = "Objective such as p99_exit_latency_ns<=50us: prints the largest first-axis value that meets it with 95 % confidence" };
        var threads = CliOptions.ThreadsOption();
        var shard = new Option<string?>("--shard") { Description = "i/N: run only shard i (0-based) of N and write a partial JSON result to -o (combine with exitsim merge)" };
        var plot = new Option<string?>("--plot") { Description = "Write a chart per metric against the first swept key (PNG and SVG) into this directory", HelpName = "DIR" };
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted sweep from the partial result it saved", HelpName = "FILE" };
        var cmd = new Command("sweep", "Run a scenario over a grid of values, with confidence intervals") { file, vary, format.Option, output, slo, threads, shard, plot, resume };
        foreach (var o in overrides.All) cmd.Add(o);
        cmd.SetAction(pr =>
        {
            string path = pr.GetValue(file)!;
            var axes = pr.GetValue(vary)!.Select(v => Guard(() => SweepAxis.Parse(v))).ToArray();
            var objective = pr.GetValue(slo) is { } s ? Guard(() => Slo.Parse(s)) : null;
            var shardSpec = Shard(pr.GetValue(shard));
            string? outPath = pr.GetValue(output);
            if (shardSpec is not null && outPath is null) throw new UsageException("--shard writes a partial result: give -o FILE (then: exitsim merge PARTS... -o OUT)");
            var fmt = shardSpec is not null ? OutputFormat.Json : format.Read(pr, outPath);
            var outFile = CommandOutput.File(outPath);
            var plotDir = pr.GetValue(plot) is { } pd && shardSpec is null ? OutputPath.Directory("--plot", pd) : null;
            var options = overrides.Read(pr, CliOptions.Threads(pr, threads));
            string yaml = Scenarios.ScenarioLoader.ReadFile(path);
            var baseScenario = Scenarios.ScenarioLoader.Parse(yaml, path); // the base scenario must be valid on its own
            if (objective is not null && MetricTable.Get(objective.Metric).NeedsWorkload && baseScenario.Workload is null)
                throw new UsageException($"--slo: {objective.Metric} needs a workload: {path} has none");
            int total = SweepRunner.PointCount(axes);
            int mine = shardSpec is { } sh ? SweepRunner.ShardPoints(total, sh.Index, sh.Count).Count() : total;
            var progress = new RunProgress(mine * (options.Replications ?? baseScenario.Run.Replications));
            var done = pr.GetValue(resume) is { } resumeFrom ? Resumed(resumeFrom, axes, total) : null;
            SweepResult result;
            try
            {
                using (new ConsoleProgress(progress, $"sweeping {mine} points"))
                    result = Guard(() => SweepRunner.Run(yaml, path, axes, options, shardSpec, progress, ctx.Cancel, done));
            }
            catch (SweepInterruptedException e)
            {
                string saved = PartialPath(outPath);
                AtomicFiles.WriteFile(saved, SweepJsonFormatter.Format(e.Partial));
                ctx.Error.WriteLine($"exitsim: {ctx.Interrupt.Description}: {e.Partial.Points.Length} of {mine} points done, saved to {saved}; " +
                                    $"resume with the same command plus --resume {saved}");
                return ctx.Interrupt.ExitCode;
            }
            using (var outputs = new OutputSet(ctx.Cancel))
            {
                if (outFile is not null) outputs.Write(outFile, SweepFormats.Format(result, fmt, objective));
                if (plotDir is not null)
                    foreach (var chart in Plots.SweepChart.All(result, objective)) RunArtifacts.WriteChart(outputs, plotDir, chart.FileName, chart);
                outputs.Commit();
            }
            if (outFile is null) ctx.Out.Write(SweepFormats.Format(result, fmt, objective));
            else outFile.Report(ctx.Out, Note(result));
            if (objective is not null && shardSpec is null) ctx.Out.Write(CapacityFormatter.Text(result, objective));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// Where an interrupted sweep saves its finished points: next to <c>-o</c> when that is a file, else
    /// <c>sweep.partial.json</c> here (never next to a device such as /dev/stdout).
    /// </summary>
    private static string PartialPath(string? outPath) =>
        outPath is not null && PathProbe.Kind(outPath, follow: true).Kind is PathKind.Missing or PathKind.Regular
            ? outPath + ".partial.json" : "sweep.partial.json";

    private static SweepResult Resumed(string path, IReadOnlyList<SweepAxis> axes, int total)
    {
        var partial = ReadPartial(path, "--resume");
        if (!partial.Vary.SequenceEqual(axes) || partial.TotalPoints != total)
            throw new UsageException($"--resume: {path} was saved by a sweep with other --vary values");
        return partial;
    }

    /// <summary>A partial result written by <c>--shard</c> or saved on Ctrl-C; anything else is a usage error.</summary>
    internal static SweepResult ReadPartial(string path, string what)
    {
        const string expected = "not a partial sweep result written by exitsim sweep";
        string text = InputFiles.ReadText(path, what, MaxPartialBytes, expected);
        try { return SweepJsonFormatter.Read(text); }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException or FormatException)
        { throw new UsageException($"{what}: {path} is {expected} ({e.Message.Split('\n')[0]})"); }
    }

    /// <summary>A partial result is a few kB per point: 64 MiB holds tens of thousands of points.</summary>
    internal const long MaxPartialBytes = 64L << 20;

    internal static string Note(SweepResult r) => $"{r.Points.Length} of {r.TotalPoints} points{(r.Shard is null ? "" : $", shard {r.Shard}")}";

    private static (int Index, int Count)? Shard(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n)
            return (i, n);
        throw new UsageException($"--shard: expected i/N with 0 <= i < N (e.g. 0/4 — a Slurm or Kubernetes job index), got '{text}'");
    }

    internal static T Guard<T>(Func<T> f)
    {
        try { return f(); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }
}
