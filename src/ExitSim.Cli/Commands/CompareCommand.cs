using System.CommandLine;
using ExitSim.Cli.Outputs;
using ExitSim.Comparison;
using ExitSim.Plots;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Sweeps;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim compare FILE --set KEY=VALUE ...</c>: the scenario before and after a change, run with
/// common random numbers, as a before/after table with 95 % CIs of the paired differences.
/// </summary>
public static class CompareCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Scenario YAML file (the 'before' arm)" };
        var set = new Option<string[]>("--set") { Description = "KEY=VALUE for the 'after' arm, e.g. vm.qemu_threads=per-vcpu (repeatable)" };
        var with = new Option<string?>("--with") { Description = "Optimisations for the 'after' arm, comma-separated (see 'exitsim list optimisations'); default: the scenario's optimisations:, 'none' for none" };
        var overrides = new RunOverrideOptions(minReplications: 2, replications: "Paired replications (overrides run.replications)");
        var format = new FormatOption("compare", ComparisonFormats.Supported, OutputFormat.Text, fromOutFile: true);
        var output = CliOptions.OutFile("Write the comparison to this file instead of standard output");
        var plot = new Option<string?>("--plot") { Description = "Write the before/after chart (PNG and SVG) into this directory", HelpName = "DIR" };
        var cmd = new Command("compare", "Before/after a change, with common random numbers and paired confidence intervals")
        {
            file, set, with, format.Option, output, plot,
        };
        foreach (var o in overrides.All) cmd.Add(o);
        cmd.SetAction(pr =>
        {
            var settings = (pr.GetValue(set) ?? []).Select(Setting).ToArray();
            string? outPath = pr.GetValue(output);
            var fmt = format.Read(pr, outPath);
            var outFile = CommandOutput.File(outPath);
            var plotDir = pr.GetValue(plot) is { } pd ? OutputPath.Directory("--plot", pd) : null;
            var options = overrides.Read(pr);
            string path = pr.GetValue(file)!;
            var before = ScenarioLoader.LoadFile(path);
            // The 'after' arm: --with and --set as given; with neither, the scenario's optimisations:.
            string[] names = pr.GetValue(with) is { } w ? OptimisationList.Parse(w, "--with")
                : settings.Length == 0 ? before.Optimisations.ToArray() : [];
            if (settings.Length == 0 && names.Length == 0 && pr.GetValue(with) is null)
                throw new UsageException("say what changes in the 'after' arm: --with virtio,apicv (see 'exitsim list optimisations'), --set KEY=VALUE, or optimisations: in the scenario");
            Scenario after = before;
            if (settings.Length > 0)
            {
                try { after = ScenarioPatcher.Apply(ScenarioLoader.ReadFile(path), path, settings); }
                catch (FormatException e) { throw new UsageException(e.Message); }
            }
            after = OptimisationList.Apply(after, names, "--with");
            before = ExperimentRunner.Apply(before, options);
            string[] written = settings.Select(s => $"{s.Key}={s.Value}").ToArray();
            string change = string.Join(", ", names.Concat(written).DefaultIfEmpty("no change"));
            var steps = new StepProgress();
            ComparisonResult result;
            using (new ConsoleProgress(() => steps.Fraction, () => $"comparing {before.Name}: {steps.Label}"))
                result = ComparisonRunner.Run(before, after, change, options with { Seed = null, Replications = null }, ctx.Cancel, names, written, steps);
            using (var outputs = new OutputSet(ctx.Cancel))
            {
                if (outFile is not null) outputs.Write(outFile, ComparisonFormats.Format(result, fmt));
                if (plotDir is not null) RunArtifacts.WriteChart(outputs, plotDir, "comparison", ComparisonChart.Of(result));
                outputs.Commit();
            }
            if (outFile is null) ctx.Out.Write(ComparisonFormats.Format(result, fmt));
            else outFile.Report(ctx.Out);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static (string Key, string Value) Setting(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new UsageException($"--set '{text}': write KEY=VALUE, e.g. vm.qemu_threads=per-vcpu");
        return (text[..eq].Trim(), text[(eq + 1)..].Trim());
    }
}
