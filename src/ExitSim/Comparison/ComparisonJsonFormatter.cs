using System.Text.Json;
using System.Text.Json.Nodes;
using ExitSim.Running;

namespace ExitSim.Comparison;

/// <summary>
/// A comparison as JSON (snake_case), one record per metric: <c>delta</c> and <c>ci95</c> in the metric's
/// stored unit (a share's change is a difference of shares), <c>delta_pct</c> and <c>ci95_pct</c> in % of before.
/// </summary>
public static class ComparisonJsonFormatter
{
    public static string Format(ComparisonResult c)
    {
        var o = new JsonObject
        {
            ["scenario"] = c.Scenario, ["change"] = c.Change,
            ["optimisations"] = Strings(c.Optimisations), ["settings"] = Strings(c.Settings),
            ["seed"] = c.Seed, ["replications"] = c.Replications, ["version"] = c.Version,
            ["metrics"] = new JsonArray(c.Metrics.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name, ["unit"] = MetricTable.Get(r.Name).Unit, ["before"] = r.Before, ["after"] = r.After,
                ["delta"] = r.Delta, ["ci95"] = r.Ci95,
                ["delta_pct"] = double.IsInfinity(r.DeltaPct) ? null : r.DeltaPct, ["ci95_pct"] = r.Ci95Pct,
            }).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
