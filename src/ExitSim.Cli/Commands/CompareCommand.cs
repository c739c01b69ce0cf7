using System.CommandLine;
using ExitSim.Comparison;
using ExitSim.Optimisations;
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
        var with = new Option<string?>("--with") { Description = "Optimisations for the 'after' arm, comma-separated (see 'exitsim list optimisations'); default: the scenario's optimisations:, 'none' for none" };
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
            var settings = (pr.GetValue(set) ?? []).Select(Setting).ToArray();
            string fmt = pr.GetValue(format)!.ToLowerInvariant();
            if (fmt is not ("table" or "json" or "markdown" or "md")) throw new UsageException($"--format: unknown format '{fmt}' (use table, json or markdown)");
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
                try { after = ScenarioPatcher.Apply(File.ReadAllText(path), path, settings); }
                catch (FormatException e) { throw new UsageException(e.Message); }
            }
            after = OptimisationList.Apply(after, names, "--with");
            var options = new RunOptions
            {
                Seed = CliOptions.Seed(pr.GetValue(seed)),
                Replications = CliOptions.Count(pr.GetValue(replications), "--replications", 2),
                DurationNs = CliOptions.Duration(pr.GetValue(duration), "--duration"),
            };
            before = ExperimentRunner.Apply(before, options);
            string change = string.Join(", ", names.Concat(settings.Select(s => $"{s.Key}={s.Value}")).DefaultIfEmpty("no change"));
            var result = ComparisonRunner.Run(before, after, change, options with { Seed = null, Replications = null, DurationNs = options.DurationNs }, ctx.Cancel);
            ctx.Out.Write(fmt == "json" ? ComparisonFormats.Json(result) : ComparisonFormats.Table(result, markdown: fmt is "markdown" or "md"));
            if (pr.GetValue(plot) is { } dir) Chart(result).Write(Path.Combine(dir, "comparison"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The before/after chart of a comparison.</summary>
    public static ComparisonChart Chart(ComparisonResult result)
    {
        var rows = result.Metrics.Select(m =>
        {
            var (label, unit, scale) = Label(m.Name);
            return (label, m.Before * scale, 0.0, m.After * scale, (m.Ci95Pct ?? 0) / 100 * Math.Abs(m.Before) * scale, unit);
        }).ToList();
        return new ComparisonChart(rows, $"{result.Scenario}: {result.Change}");
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
        "throughput_ops_per_second" => ("throughput", "ops/s", 1),
        "p50_op_latency_ns" => ("p50 op latency", "ns", 1),
        "p99_op_latency_ns" => ("p99 op latency", "ns", 1),
        "p99_storage_latency_ns" => ("p99 storage", "ns", 1),
        "halted_fraction" => ("halted", "%", 100),
        "halt_poll_fraction" => ("polling", "%", 100),
        _ => (metric, "", 1),
    };
}
