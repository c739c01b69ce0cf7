using System.CommandLine;
using ExitSim.Explain;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim explain FILE</c>: which KPIs the scenario misses, which exit reasons and phases take the
/// exit time, and which optimisation plug-ins would help most — each simulated against the scenario
/// with common random numbers, in quick runs.
/// </summary>
public static class ExplainCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Scenario YAML file" };
        var overrides = new RunOverrideOptions(minReplications: 2,
            replications: $"Paired replications per run (default {ExplainOptions.DefaultReplications})",
            duration: "Measured simulated time per replication (default 300ms, or the scenario's if shorter)");
        var format = new FormatOption("explain", ExplainFormats.Supported, OutputFormat.Text, fromOutFile: true);
        var output = CliOptions.OutFile("Write the explanation to this file instead of standard output");
        var cmd = new Command("explain", "Missed KPIs, where exit time goes, and the optimisations that would help most (simulated)")
        {
            file, format.Option, output,
        };
        foreach (var o in overrides.All) cmd.Add(o);
        cmd.SetAction(pr =>
        {
            string? outPath = pr.GetValue(output);
            var fmt = format.Read(pr, outPath);
            var outFile = CommandOutput.File(outPath);
            var run = overrides.Read(pr);
            var options = new ExplainOptions
            {
                Replications = run.Replications ?? ExplainOptions.DefaultReplications,
                DurationNs = run.DurationNs,
                Seed = run.Seed,
            };
            var scenario = ScenarioLoader.LoadFile(pr.GetValue(file)!);
            var steps = new StepProgress();
            Explanation explanation;
            using (new ConsoleProgress(() => steps.Fraction, () => $"explaining {scenario.Name}: {steps.Label}"))
                explanation = ExplainRunner.Run(scenario, options, ctx.Cancel, steps);
            CommandOutput.Write(ctx, ExplainFormats.Format(explanation, fmt), outFile);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
