using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExitSim.Evidence;

/// <summary>
/// The scoreboard as JSON (snake_case), one record per case: <c>published</c>, <c>simulated</c>, <c>ci95</c>
/// and the band's <c>low</c>/<c>high</c> in the figure's <c>unit</c>; <c>pass</c> true, false, or null for a
/// case that is not expressible (then <c>status</c> is <c>not-expressible</c> and <c>needs</c> says why).
/// </summary>
public static class EvidenceJsonFormatter
{
    public static string Format(Scoreboard s)
    {
        var o = new JsonObject
        {
            ["version"] = s.Version, ["passed"] = s.Passed, ["failed"] = s.Failed, ["not_expressible"] = s.NotExpressible,
            ["cases"] = new JsonArray(s.Cases.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id, ["title"] = r.Title, ["mechanism"] = r.Mechanism,
                ["status"] = r.Status == CaseStatus.Expressible ? "expressible" : "not-expressible", ["needs"] = r.Needs,
                ["source"] = new JsonObject { ["title"] = r.Source.Title, ["venue"] = r.Source.Venue, ["date"] = r.Source.Date, ["table"] = r.Source.Table },
                ["unit"] = r.Unit, ["published"] = r.Published.Value, ["published_text"] = r.Published.Text,
                ["simulated"] = r.Simulated, ["ci95"] = r.Ci95, ["low"] = r.Band?.Low, ["high"] = r.Band?.High,
                ["band_reason"] = r.Band?.Reason, ["pass"] = r.Pass, ["replications"] = r.Replications, ["note"] = r.Note,
            }).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
