using System.Text.Json;
using System.Text.Json.Nodes;
using ExitSim.Running;

namespace ExitSim.Sweeps;

/// <summary>A sweep as JSON, and back: <c>merge</c> and <c>--resume</c> read what <see cref="Format"/> wrote.</summary>
public static class SweepJsonFormatter
{
    public static string Format(SweepResult s)
    {
        var o = new JsonObject
        {
            ["scenario"] = s.Scenario,
            ["seed"] = s.Seed,
            ["version"] = s.Version,
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
            // Every metric of the table, null where the point does not have it (no workload).
            foreach (var m in MetricTable.All)
            {
                var v = p.Find(m.Name);
                po[m.Name] = v?.Mean;
                po[m.Name + "_ci95"] = v?.Ci95;
            }
            return (JsonNode)po;
        }).ToArray());
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Reads what <see cref="Format"/> wrote (a whole sweep or a shard) back.</summary>
    public static SweepResult Read(string text)
    {
        var o = JsonNode.Parse(text)!.AsObject();
        var vary = o["vary"]!.AsArray().Select(a => new SweepAxis(a!["key"]!.GetValue<string>(),
            a["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToEquatableArray())).ToArray();
        var points = o["points"]!.AsArray().Select(p => new SweepPoint(
            p!["point"]!.GetValue<int>(),
            vary.Select(a => p["values"]![a.Key]!.GetValue<string>()).ToArray(),
            MetricTable.All.Where(m => p[m.Name] is not null)
                .Select(m => new MetricValue(m.Name, p[m.Name]!.GetValue<double>(), p[m.Name + "_ci95"]?.GetValue<double>())).ToArray())).ToArray();
        return new SweepResult
        {
            Scenario = o["scenario"]!.GetValue<string>(),
            Seed = o["seed"]!.GetValue<ulong>(),
            Version = o["version"]?.GetValue<string>() ?? "unknown",
            Replications = o["replications"]!.GetValue<int>(),
            Vary = vary,
            TotalPoints = o["total_points"]!.GetValue<int>(),
            Shard = o["shard"]?.GetValue<string>(),
            Points = points,
        };
    }
}
