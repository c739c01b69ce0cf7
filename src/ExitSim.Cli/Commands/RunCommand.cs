using System.CommandLine;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Units;

namespace ExitSim.Cli.Commands;

/// <summary><c>exitsim run FILE</c>: simulate a scenario and print a perf-kvm-stat-style report.</summary>
public static class RunCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Scenario YAML file" };
        var seed = new Option<string?>("--seed") { Description = "Random seed (overrides run.seed)" };
        var duration = new Option<string?>("--duration") { Description = "Measured simulated time per replication, e.g. 2s or 500ms (overrides run.duration)" };
        var replications = new Option<string?>("--replications", "-r") { Description = "Number of replications (overrides run.replications)" };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table, json, csv, markdown or html (one self-contained page with charts)", DefaultValueFactory = _ => "table" };
        var plot = new Option<string?>("--plot") { Description = "Write the run's charts (PNG and SVG) into this directory" };
        var outDir = new Option<string?>("--out", "-o") { Description = "Also write the report in every format into this directory" };
        var threads = new Option<string?>("--threads") { Description = "Worker threads (default: all cores); results do not depend on it" };
        var exportTrace = new Option<string?>("--export-trace") { Description = "Also write replication 0's exits to this file, as a host tool would show them" };
        var with = new Option<string?>("--with") { Description = "Run with these optimisations applied, comma-separated (see 'exitsim list optimisations')" };
        var traceFormat = new Option<string>("--trace-format") { Description = "ftrace (kvm_exit/kvm_entry lines, default) or perf-kvm-stat (report table)", DefaultValueFactory = _ => "ftrace" };

        var cmd = new Command("run", "Simulate a scenario and report its exits like perf kvm stat")
        {
            file, seed, duration, replications, format, outDir, threads, exportTrace, traceFormat, plot, with,
        };
        cmd.SetAction(pr =>
        {
            string formatText = pr.GetValue(format)!;
            bool html = formatText.Equals("html", StringComparison.OrdinalIgnoreCase);
            var fmt = html ? ReportFormat.Table : CliOptions.Format(formatText);
            string? plotDir = pr.GetValue(plot);
            var options = new RunOptions
            {
                Seed = CliOptions.Seed(pr.GetValue(seed)),
                DurationNs = CliOptions.Duration(pr.GetValue(duration), "--duration"),
                Replications = CliOptions.Count(pr.GetValue(replications), "--replications", 1),
                Threads = CliOptions.Count(pr.GetValue(threads), "--threads", 1) ?? Environment.ProcessorCount,
            };
            string? dir = pr.GetValue(outDir);
            string? tracePath = pr.GetValue(exportTrace);
            string traceKind = pr.GetValue(traceFormat)!;
            if (traceKind is not ("ftrace" or "perf-kvm-stat"))
                throw new UsageException($"--trace-format: unknown format '{traceKind}' (use ftrace or perf-kvm-stat)");
            var scenario = ScenarioLoader.LoadFile(pr.GetValue(file)!);
            if (pr.GetValue(with) is { } w) scenario = OptimisationList.Apply(scenario, OptimisationList.Parse(w, "--with"), "--with");
            var report = Execute(ctx, scenario, options);
            var applied = ExperimentRunner.Apply(scenario, options);
            var timeline = html || dir is not null || plotDir is not null ? RunArtifacts.Timeline(applied) : null;
            if (dir is not null)
            {
                var files = Enum.GetValues<ReportFormat>()
                    .Select(f => ($"{Slug(report.Scenario)}.{ReportFormats.Extension(f)}", ReportFormats.Format(report, f)))
                    .Append(($"{Slug(report.Scenario)}.html", RunArtifacts.Html(report, timeline!)))
                    .ToList();
                AtomicFiles.Write(dir, files);
            }
            if (plotDir is not null) RunArtifacts.WriteCharts(report, timeline!, plotDir);
            if (tracePath is not null) TraceExport.Write(applied, tracePath, traceKind);
            ctx.Out.Write(html ? RunArtifacts.Html(report, timeline!) : ReportFormats.Format(report, fmt));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static RunReport Execute(CliContext ctx, Scenario scenario, RunOptions options)
    {
        var applied = ExperimentRunner.Apply(scenario, options);
        var progress = new RunProgress(applied.Run.Replications);
        RunResult result;
        using (new ConsoleProgress(progress, $"running {scenario.Name}"))
            result = ExperimentRunner.Run(scenario, options, progress, ctx.Cancel);
        return ReportBuilder.Build(result);
    }

    private static string Slug(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
}
