using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExitSim.Sweeps;

/// <summary>Writes a sweep as CSV (one row per point), JSON (readable back for merge) or Markdown.</summary>
public static class SweepFormats
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Csv(SweepResult s)
    {
        var w = new StringBuilder("point," + string.Join(",", s.Vary.Select(a => Field(a.Key))) + "," +
                                  string.Join(",", SweepMetrics.Names.SelectMany(n => new[] { n, n + "_ci95" })) + "\n");
        foreach (var p in s.Points)
            w.Append(p.Index.ToString(Inv)).Append(',').Append(string.Join(",", p.Values.Select(Field))).Append(',')
             .Append(string.Join(",", p.Metrics.SelectMany(m => new[] { N(m.Mean), m.Ci95 is { } c ? N(c) : "" }))).Append('\n');
        return w.ToString();
    }

    public static string Markdown(SweepResult s, Slo? slo = null)
    {
        var w = new StringBuilder($"## Sweep of {s.Scenario}\n\n{s.Replications} replication(s) per point, seed {s.Seed}; ± is the 95 % confidence half-width.\n\n");
        // The workload columns only when the scenario has a workload (they are 0 otherwise).
        bool workload = s.Points.Any(p => p.Metric("throughput_ops_per_second").Mean != 0);
        string extra = workload ? " throughput (ops/s) | p99 operation latency | p99 storage latency |" : "";
        w.Append("| " + string.Join(" | ", s.Vary.Select(a => a.Key)) + " | exits/s | mean exit latency | p99 exit latency | guest time | QEMU util. |" + extra + (slo is null ? "" : " SLO |") + "\n");
        w.Append("|" + string.Concat(Enumerable.Repeat("---|", s.Vary.Length + 5 + (workload ? 3 : 0) + (slo is null ? 0 : 1))) + "\n");
        foreach (var p in s.Points)
        {
            string Pm(string name, Func<double, string> f) => p.Metric(name) is var m && m.Ci95 is { } c ? $"{f(m.Mean)} ± {f(c)}" : f(p.Metric(name).Mean);
            w.Append("| " + string.Join(" | ", p.Values) + " | " + Pm("exits_per_second", Units.UnitFormat.Rate) + " | " + Pm("mean_exit_latency_ns", Units.UnitFormat.Time) +
                     " | " + Pm("p99_exit_latency_ns", Units.UnitFormat.Time) + " | " + Pm("guest_time_fraction", v => (100 * v).ToString("0.0", Inv) + "%") +
                     " | " + (100 * p.Metric("qemu_max_utilisation").Mean).ToString("0.0", Inv) + "% |" +
                     (workload ? " " + Pm("throughput_ops_per_second", v => v.ToString("0", Inv)) + " | " + Pm("p99_op_latency_ns", Units.UnitFormat.Time) +
                                 " | " + Pm("p99_storage_latency_ns", Units.UnitFormat.Time) + " |" : "") +
                     (slo is null ? "" : slo.Met(p.Metric(slo.Metric)) ? " ok |" : " **missed** |") + "\n");
        }
        return w.ToString();
    }

    public static string Json(SweepResult s)
    {
        var o = new JsonObject
        {
            ["scenario"] = s.Scenario,
            ["seed"] = s.Seed,
            ["replications"] = s.Replications,
            ["vary"] = new JsonArray(s.Vary.Select(a => (JsonNode)new JsonObject { ["key"] = a.Key, ["values"] = new JsonArray(a.Values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()) }).ToArray()),
            ["total_points"] = s.TotalPoints,
        };
        if (s.Shard is not null) o["shard"] = s.Shard;
        o["points"] = new JsonArray(s.Points.Select(p =>
        {
            var po = new JsonObject { ["point"] = p.Index };
            var values = new JsonObject();
            for (int k = 0; k < s.Vary.Length; k++) values[s.Vary[k].Key] = p.Values[k];
            po["values"] = values;
            foreach (var m in p.Metrics)
            {
                po[m.Name] = m.Mean;
                po[m.Name + "_ci95"] = m.Ci95;
            }
            return (JsonNode)po;
        }).ToArray());
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Reads what <see cref="Json"/> wrote (a whole sweep or a shard) back.</summary>
    public static SweepResult ReadJson(string text)
    {
        var o = JsonNode.Parse(text)!.AsObject();
        var vary = o["vary"]!.AsArray().Select(a => new SweepAxis(a!["key"]!.GetValue<string>(),
            a["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToEquatableArray())).ToArray();
        var points = o["points"]!.AsArray().Select(p => new SweepPoint(
            p!["point"]!.GetValue<int>(),
            vary.Select(a => p["values"]![a.Key]!.GetValue<string>()).ToArray(),
            SweepMetrics.Names.Select(n => new MetricValue(n, p[n]!.GetValue<double>(), p[n + "_ci95"]?.GetValue<double>())).ToArray())).ToArray();
        return new SweepResult
        {
            Scenario = o["scenario"]!.GetValue<string>(),
            Seed = o["seed"]!.GetValue<ulong>(),
            Replications = o["replications"]!.GetValue<int>(),
            Vary = vary,
            TotalPoints = o["total_points"]!.GetValue<int>(),
            Shard = o["shard"]?.GetValue<string>(),
            Points = points,
        };
    }

    private static string N(double v) => v.ToString("R", Inv);
    private static string Field(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
