using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExitSim.Comparison;

namespace ExitSim.Explain;

/// <summary>An <see cref="Explanation"/> as JSON (snake_case), every compared metric included.</summary>
public static class ExplainJsonFormatter
{
    public static string Format(Explanation e)
    {
        var r = e.Report;
        JsonNode Row(ComparisonRow x) => new JsonObject
        {
            ["metric"] = x.Name, ["before"] = x.Before, ["after"] = x.After, ["delta"] = x.Delta, ["ci95"] = x.Ci95,
            ["delta_pct"] = Finite(x.DeltaPct), ["ci95_pct"] = x.Ci95Pct,
        };
        JsonNode Phase(PhaseShare p) => new JsonObject
        {
            ["phase"] = p.Phase, ["label"] = p.Label, ["share_pct"] = p.SharePct, ["mean_per_exit_ns"] = p.MeanPerExitNs,
        };
        var o = new JsonObject
        {
            ["scenario"] = e.Scenario,
            ["version"] = e.Report.Version,
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
                ["name"] = e.Metric.Name, ["label"] = e.Metric.Label, ["unit"] = ExplainRunner.MetricOf(e.Metric.Name).Unit, ["higher_is_better"] = e.Metric.HigherIsBetter, ["definition"] = e.Metric.Definition,
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
                ["name"] = s.Name, ["kind"] = ExplainWords.Kind(s.Kind).Replace(' ', '_'), ["reason"] = s.Reason,
            }).ToArray()),
            ["warnings"] = new JsonArray(r.Warnings.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
