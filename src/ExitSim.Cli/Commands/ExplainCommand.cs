using System.CommandLine;
using ExitSim.Explain;
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
        var replications = new Option<string?>("--replications", "-r") { Description = $"Paired replications per run (default {ExplainOptions.DefaultReplications})" };
        var duration = new Option<string?>("--duration") { Description = "Measured simulated time per replication (default 300ms, or the scenario's if shorter)" };
        var seed = new Option<string?>("--seed") { Description = "Random seed (overrides run.seed)" };
        var format = new Option<string>("--format", "-f") { Description = "table, json or markdown", DefaultValueFactory = _ => "table" };
        var cmd = new Command("explain", "Missed KPIs, where exit time goes, and the optimisations that would help most (simulated)")
        {
            file, replications, duration, seed, format,
        };
        cmd.SetAction(pr =>
        {
            string fmt = pr.GetValue(format)!.ToLowerInvariant();
            if (fmt is not ("table" or "text" or "json" or "markdown" or "md")) throw new UsageException($"--format: unknown format '{fmt}' (use table, json or markdown)");
            var options = new ExplainOptions
            {
                Replications = CliOptions.Count(pr.GetValue(replications), "--replications", 2) ?? ExplainOptions.DefaultReplications,
                DurationNs = CliOptions.Duration(pr.GetValue(duration), "--duration"),
                Seed = CliOptions.Seed(pr.GetValue(seed)),
            };
            var scenario = ScenarioLoader.LoadFile(pr.GetValue(file)!);
            var explanation = ExplainRunner.Run(scenario, options, ctx.Cancel);
            ctx.Out.Write(fmt == "json" ? ExplainFormats.Json(explanation) : ExplainFormats.Text(explanation, markdown: fmt is "markdown" or "md"));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
