using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExitSim.Comparison;

/// <summary>A comparison as JSON (snake_case), one record per metric.</summary>
public static class ComparisonJsonFormatter
{
    public static string Format(ComparisonResult c)
    {
        var o = new JsonObject
        {
            ["scenario"] = c.Scenario, ["change"] = c.Change, ["seed"] = c.Seed, ["replications"] = c.Replications,
            ["metrics"] = new JsonArray(c.Metrics.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name, ["before"] = r.Before, ["after"] = r.After,
                ["delta_pct"] = double.IsInfinity(r.DeltaPct) ? null : r.DeltaPct, ["ci95_pct"] = r.Ci95Pct,
            }).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
