using System.CommandLine;
using ExitSim.Cli.Outputs;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Cli.Commands;

/// <summary><c>exitsim run FILE</c>: simulate a scenario and print a perf-kvm-stat-style report.</summary>
public static class RunCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Scenario YAML file" };
        var overrides = new RunOverrideOptions();
        var format = new FormatOption("run", [.. ReportFormats.Supported, OutputFormat.Html], OutputFormat.Text);
        var plot = new Option<string?>("--plot") { Description = "Write the run's charts (PNG and SVG) into this directory", HelpName = "DIR" };
        var outDir = CliOptions.OutDirectory("Also write the report in every format (txt, md, json, csv, html) into this directory");
        var threads = CliOptions.ThreadsOption();
        var exportTrace = new Option<string?>("--export-trace") { Description = "Also write replication 0's exits to this file, as a host tool would show them", HelpName = "FILE" };
        var with = new Option<string?>("--with") { Description = "Run with these optimisations applied, comma-separated (see 'exitsim list optimisations')" };
        var traceFormat = new Option<string>("--trace-format") { Description = "ftrace (kvm_exit/kvm_entry lines, default) or perf-kvm-stat (report table)", DefaultValueFactory = _ => "ftrace" };

        var cmd = new Command("run", "Simulate a scenario and report its exits like perf kvm stat")
        {
            file, format.Option, outDir, threads, exportTrace, traceFormat, plot, with,
        };
        foreach (var o in overrides.All) cmd.Add(o);
        cmd.SetAction(pr =>
        {
            var fmt = format.Read(pr);
            var options = overrides.Read(pr, CliOptions.Threads(pr, threads));
            string[] names = pr.GetValue(with) is { } w ? OptimisationList.Parse(w, "--with") : [];
            string traceKind = pr.GetValue(traceFormat)!;
            if (traceKind is not ("ftrace" or "perf-kvm-stat"))
                throw new UsageException($"--trace-format: unknown format '{traceKind}' (use ftrace or perf-kvm-stat)");
            // Every output is checked before the simulation: a bad path costs no simulated minutes.
            var dir = pr.GetValue(outDir) is { } d ? OutputPath.Directory("--out", d) : null;
            var plotDir = pr.GetValue(plot) is { } p ? OutputPath.Directory("--plot", p) : null;
            var trace = pr.GetValue(exportTrace) is { } t ? OutputPath.File("--export-trace", t) : null;
            var scenario = ScenarioLoader.LoadFile(pr.GetValue(file)!);
            scenario = OptimisationList.Apply(scenario, names, "--with");
            options = options with { Optimisations = names };
            var report = Execute(ctx, scenario, options);
            var applied = ExperimentRunner.Apply(scenario, options);
            var timeline = fmt == OutputFormat.Html || dir is not null || plotDir is not null ? RunArtifacts.Timeline(applied, ctx.Cancel) : null;
            using (var outputs = new OutputSet(ctx.Cancel))
            {
                if (dir is not null)
                    foreach (var (name, content) in RunArtifacts.AllFormats(report, timeline!)) outputs.Write(dir, content, name);
                if (plotDir is not null) RunArtifacts.WriteCharts(outputs, plotDir, report, timeline!);
                if (trace is not null) TraceExport.Write(outputs, trace, applied, traceKind, ctx.Cancel);
                outputs.Commit();
            }
            ctx.Out.Write(fmt == OutputFormat.Html ? RunArtifacts.Html(report, timeline!) : ReportFormats.Format(report, fmt));
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
}
