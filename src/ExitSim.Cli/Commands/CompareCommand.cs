using System.CommandLine;
using ExitSim.Comparison;
using ExitSim.Plots;
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
        var with = new Option<string?>("--with") { Description = "Optimisations for the 'after' arm (virtio, apicv, …): not available yet" };
        var format = new Option<string>("--format", "-f") { Description = "table, json or markdown", DefaultValueFactory = _ => "table" };
        var seed = new Option<string?>("--seed") { Description = "Random seed (overrides run.seed)" };
        var replications = new Option<string?>("--replications", "-r") { Description = "Paired replications (overrides run.replications)" };
        var duration = new Option<string?>("--duration") { Description = "Measured simulated time per replication" };
        var plot = new Option<string?>("--plot") { Description = "Write the before/after chart (PNG and SVG) into this directory" };
        var cmd = new Command("compare", "Before/after a change, with common random numbers and paired confidence intervals")
        {
            file, set, with, format, seed, replications, duration, plot,
        };
        cmd.SetAction(pr =>
        {
            if (pr.GetValue(with) is { } w)
                throw new UsageException($"--with {w}: optimisation plug-ins arrive with the workload and device models; for now compare a change of scenario keys with --set KEY=VALUE");
            var settings = (pr.GetValue(set) ?? []).Select(Setting).ToArray();
            if (settings.Length == 0) throw new UsageException("say what changes in the 'after' arm: --set KEY=VALUE (repeatable)");
            string fmt = pr.GetValue(format)!.ToLowerInvariant();
            if (fmt is not ("table" or "json" or "markdown" or "md")) throw new UsageException($"--format: unknown format '{fmt}' (use table, json or markdown)");
            string path = pr.GetValue(file)!;
            var before = ScenarioLoader.LoadFile(path);
            Scenario after;
            try { after = ScenarioPatcher.Apply(File.ReadAllText(path), path, settings); }
            catch (FormatException e) { throw new UsageException(e.Message); }
            var options = new RunOptions
            {
                Seed = CliOptions.Seed(pr.GetValue(seed)),
                Replications = CliOptions.Count(pr.GetValue(replications), "--replications", 2),
                DurationNs = CliOptions.Duration(pr.GetValue(duration), "--duration"),
            };
            before = ExperimentRunner.Apply(before, options);
            string change = string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"));
            var result = ComparisonRunner.Run(before, after, change, options with { Seed = null, Replications = null, DurationNs = options.DurationNs }, ctx.Cancel);
            ctx.Out.Write(fmt == "json" ? ComparisonFormats.Json(result) : ComparisonFormats.Table(result, markdown: fmt is "markdown" or "md"));
            if (pr.GetValue(plot) is { } dir)
            {
                var rows = result.Metrics.Select(m =>
                {
                    var (label, unit, scale) = Label(m.Name);
                    return (label, m.Before * scale, 0.0, m.After * scale, (m.Ci95Pct ?? 0) / 100 * Math.Abs(m.Before) * scale, unit);
                }).ToList();
                new ComparisonChart(rows, $"{result.Scenario}: {change}").Write(Path.Combine(dir, "comparison"));
            }
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

    /// <summary>Short chart labels; fractions shown as percentages.</summary>
    private static (string Label, string Unit, double Scale) Label(string metric) => metric switch
    {
        "exits_per_second" => ("exits/s", "/s", 1),
        "io_exits_per_second" => ("I/O exits/s", "/s", 1),
        "mean_exit_latency_ns" => ("mean latency", "ns", 1),
        "p99_exit_latency_ns" => ("p99 latency", "ns", 1),
        "io_exit_share_pct" => ("I/O exit share", "%", 1),
        "guest_time_fraction" => ("guest time", "%", 100),
        "qemu_max_utilisation" => ("QEMU utilisation", "%", 100),
        _ => (metric, "", 1),
    };
}
