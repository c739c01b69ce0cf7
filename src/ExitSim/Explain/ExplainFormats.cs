using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExitSim.Comparison;
using ExitSim.Reports;
using ExitSim.Units;

namespace ExitSim.Explain;

/// <summary>Writes an <see cref="Explanation"/> as text, Markdown or JSON (snake_case). No wall-clock time: output is reproducible.</summary>
public static class ExplainFormats
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Text(Explanation e, bool markdown = false)
    {
        var w = new StringBuilder();
        string F(string format, params object?[] args) => string.Format(Inv, format, args);
        void Head(string s) => w.Append(markdown ? $"### {s}\n\n" : s + "\n");
        var r = e.Report;

        w.Append(markdown ? $"## {e.Scenario}: what the exits cost, and what would help\n\n" : $"{e.Scenario}: what the exits cost, and what would help\n");
        if (e.Description is not null) w.Append(markdown ? e.Description + "\n\n" : "  " + e.Description + "\n");
        w.Append(F(markdown ? "{0}\n\n" : "  ({0})\n\n", Settings(e)));

        // 1. KPIs
        Head(e.MissedKpis.Length == 0 ? $"KPIs: all {r.Kpis.Length} met"
            : $"KPIs: {e.MissedKpis.Length} of {r.Kpis.Length} missed ({string.Join(", ", e.MissedKpis.Select(k => k.Name))})");
        if (markdown) w.Append("| KPI | value | target | |\n|---|---:|---:|---|\n");
        foreach (var k in r.Kpis.OrderBy(k => k.Ok))
        {
            string value = PerfTableFormatter.KpiValue(k.Value, k.Unit), target = PerfTableFormatter.KpiValue(k.Target, k.Unit);
            if (markdown) w.Append(F("| {0} | {1} | < {2} | {3} |\n", k.Name, value, target, k.Ok ? "ok" : "**missed**"));
            else w.Append(F("  {0,-20} {1,12}  target < {2,-10} {3}\n", k.Name, value, target, k.Ok ? "ok" : "MISSED"));
        }
        w.Append('\n');

        // 2. Where exit time goes
        string headline = F("exits/s {0}, mean exit latency {1}", UnitFormat.Rate(r.ExitsPerSecond), UnitFormat.Time(r.MeanExitLatencyNs));
        if (r.Workload is { } wl) headline += F(", throughput {0} {1}/s", Number(wl.ThroughputOpsPerSecond), wl.Operation);
        Head($"Where exit time goes ({headline})");
        if (e.Hotspots.Length == 0) w.Append(markdown ? "No exits were measured.\n" : "  no exits were measured\n");
        foreach (var h in e.Hotspots)
        {
            string line = F("{0}: {1:0} % of exit time ({2:0.#} % of exits, {3}, {4} each), mostly {5}",
                h.Reason, h.TimePct, h.SamplesPct, UnitFormat.Rate(h.RatePerSecond), UnitFormat.Time(h.MeanNs),
                string.Join(" and ", h.Dominant.Select(p => F("{0} {1:0} %", p.Label, p.SharePct))));
            w.Append(markdown ? "- " + Bold(line, h.Reason) + "\n" : "  " + line + "\n");
        }
        string phases = string.Join(", ", e.Phases.Where(p => p.SharePct > 0).Select(p => F("{0} {1:0.0} %", p.Label, p.SharePct)));
        w.Append(markdown ? $"\nBy phase, over all exits: {phases}.\n\n" : $"  By phase, over all exits: {phases}\n\n");

        // 3. What would help
        Head($"What would help most, simulated: ranked by {e.Metric.Label}, {(e.Metric.HigherIsBetter ? "higher" : "lower")} is better");
        string metricNote = F("{0}: {1} ({2}).", e.Metric.Label, e.Metric.Definition, Before(e));
        string effectNote = F("Effect: its change in % of before, ± the 95 % CI of the paired difference ({0} replications each, common random numbers); \"noise\" when the CI includes zero.",
            e.Replications);
        if (e.Ranking.Length == 0)
            w.Append(markdown ? "No optimisation plug-in changes anything in this scenario (below).\n\n" : "  no optimisation plug-in changes anything in this scenario (below)\n\n");
        else if (markdown)
        {
            w.Append($"{metricNote} {effectNote}\n\n");
            w.Append($"| # | change | {e.Metric.Label} | 95 % CI | exits/s | mean exit latency | mechanism |\n|---:|---|---:|---:|---:|---:|---|\n");
            foreach (var x in e.Ranking)
                w.Append(F("| {0} | {1} | {2} | {3} | {4} | {5} | {6} |\n", x.Rank, x.Name, Delta(x.Effect), Ci(x), Delta(x.ExitsPerSecond), Delta(x.MeanExitLatency), x.Summary));
            w.Append('\n');
        }
        else
        {
            w.Append($"  {metricNote}\n  {effectNote}\n\n");
            int width = Math.Max(12, e.Ranking.Max(x => x.Name.Length));
            w.Append(F("  {0,2}  {1} {2,10} {3,18} {4,9} {5,13}\n", "#", "change".PadRight(width), "effect", "95 % CI", "exits/s", "exit latency"));
            foreach (var x in e.Ranking)
            {
                w.Append(F("  {0,2}  {1} {2,10} {3,18} {4,9} {5,13}\n", x.Rank, x.Name.PadRight(width), Delta(x.Effect), Ci(x), Delta(x.ExitsPerSecond), Delta(x.MeanExitLatency)));
                w.Append(F("      {0}\n", x.Summary));
            }
            w.Append('\n');
        }
        if (e.Skipped.Length > 0)
        {
            Head("Not ranked");
            int width = e.Skipped.Max(s => s.Name.Length);
            foreach (var s in e.Skipped)
            {
                string why = $"{Kind(s.Kind)}: {s.Reason}";
                w.Append(markdown ? $"- {s.Name}: {why}\n" : $"  {s.Name.PadRight(width)}  {why}\n");
            }
            w.Append('\n');
        }
        foreach (var warning in r.Warnings) w.Append(markdown ? "> warning: " : "warning: ").Append(warning).Append('\n');
        return w.ToString();
    }

    public static string Json(Explanation e)
    {
        var r = e.Report;
        JsonNode Row(ComparisonRow x) => new JsonObject
        {
            ["metric"] = x.Name, ["before"] = x.Before, ["after"] = x.After,
            ["delta_pct"] = Finite(x.DeltaPct), ["ci95_pct"] = x.Ci95Pct,
        };
        JsonNode Phase(PhaseShare p) => new JsonObject
        {
            ["phase"] = p.Phase, ["label"] = p.Label, ["share_pct"] = p.SharePct, ["mean_per_exit_ns"] = p.MeanPerExitNs,
        };
        var o = new JsonObject
        {
            ["scenario"] = e.Scenario,
            ["description"] = e.Description,
            ["vendor"] = e.Vendor,
            ["seed"] = e.Seed,
            ["replications"] = e.Replications,
            ["simulated_seconds"] = e.SimulatedSeconds,
            ["warmup_seconds"] = e.WarmupSeconds,
            ["operation"] = e.Operation,
            ["summary"] = new JsonObject
            {
                ["exits_per_second"] = r.ExitsPerSecond, ["exits_per_second_ci95"] = r.ExitsPerSecondCi95,
                ["mean_exit_latency_ns"] = r.MeanExitLatencyNs, ["mean_exit_latency_ns_ci95"] = r.MeanExitLatencyNsCi95,
                ["guest_time_fraction"] = r.GuestTimeFraction, ["guest_time_fraction_ci95"] = r.GuestTimeFractionCi95,
                ["throughput_ops_per_second"] = r.Workload?.ThroughputOpsPerSecond, ["throughput_ci95"] = r.Workload?.ThroughputCi95,
            },
            ["kpis"] = new JsonArray(r.Kpis.Select(k => (JsonNode)new JsonObject
            {
                ["name"] = k.Name, ["value"] = k.Value, ["target"] = k.Target, ["unit"] = k.Unit, ["ok"] = k.Ok, ["definition"] = k.Definition,
            }).ToArray()),
            ["missed_kpis"] = new JsonArray(e.MissedKpis.Select(k => (JsonNode)JsonValue.Create(k.Name)).ToArray()),
            ["hotspots"] = new JsonArray(e.Hotspots.Select(h => (JsonNode)new JsonObject
            {
                ["reason"] = h.Reason, ["path"] = h.Path, ["time_pct"] = h.TimePct, ["samples_pct"] = h.SamplesPct,
                ["rate_per_second"] = h.RatePerSecond, ["mean_ns"] = h.MeanNs,
                ["phases"] = new JsonArray(h.Phases.Select(Phase).ToArray()),
                ["dominant_phases"] = new JsonArray(h.Dominant.Select(p => (JsonNode)JsonValue.Create(p.Phase)).ToArray()),
            }).ToArray()),
            ["phases"] = new JsonArray(e.Phases.Select(Phase).ToArray()),
            ["ranking_metric"] = new JsonObject
            {
                ["name"] = e.Metric.Name, ["label"] = e.Metric.Label, ["higher_is_better"] = e.Metric.HigherIsBetter, ["definition"] = e.Metric.Definition,
            },
            ["ranking"] = new JsonArray(e.Ranking.Select(x => (JsonNode)new JsonObject
            {
                ["rank"] = x.Rank,
                ["name"] = x.Name,
                ["optimisations"] = new JsonArray(x.Optimisations.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
                ["combination"] = x.Combination,
                ["summary"] = x.Summary,
                ["effect"] = Row(x.Effect),
                ["significant"] = x.Significant,
                ["exits_per_second"] = Row(x.ExitsPerSecond),
                ["mean_exit_latency_ns"] = Row(x.MeanExitLatency),
                ["metrics"] = new JsonArray(x.Comparison.Metrics.Select(Row).ToArray()),
            }).ToArray()),
            ["skipped"] = new JsonArray(e.Skipped.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name, ["kind"] = Kind(s.Kind).Replace(' ', '_'), ["reason"] = s.Reason,
            }).ToArray()),
            ["warnings"] = new JsonArray(r.Warnings.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Settings(Explanation e) =>
        string.Format(Inv, "{0} replications × {1} simulated after {2} warm-up, seed {3}: quick runs; `exitsim compare` for the full ones",
            e.Replications, UnitFormat.Time(e.SimulatedSeconds * 1e9), UnitFormat.Time(e.WarmupSeconds * 1e9), e.Seed);

    private static string Before(Explanation e)
    {
        var r = e.Report;
        if (e.Metric.Name == ExplainRunner.ExitTimeShare) return string.Format(Inv, "before: {0:0.00} % of vCPU time", 100 * (1 - r.GuestTimeFraction));
        if (e.Metric.Name == "throughput_ops_per_second" && r.Workload is { } wl) return $"before: {Number(wl.ThroughputOpsPerSecond)} {wl.Operation}/s";
        return "before: see the report";
    }

    private static string Kind(SkipKind k) => k switch
    {
        SkipKind.Refused => "not applicable",
        SkipKind.AlreadyInEffect => "already on",
        _ => "no effect",
    };

    private static string Delta(ComparisonRow x) =>
        double.IsInfinity(x.DeltaPct) ? "new" : x.DeltaPct.ToString("+0.0;-0.0;0.0", Inv) + " %";

    private static string Ci(Recommendation x) =>
        (x.Effect.Ci95Pct is { } h ? "± " + h.ToString("0.0", Inv) + " %" : "-") + (x.Significant ? "" : " (noise)");

    private static string Number(double v) => v.ToString(v >= 100 ? "#,0" : "0.##", Inv);

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string Bold(string line, string prefix) => line.StartsWith(prefix, StringComparison.Ordinal) ? $"**{prefix}**{line[prefix.Length..]}" : line;
}
