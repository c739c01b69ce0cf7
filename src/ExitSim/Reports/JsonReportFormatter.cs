using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExitSim.Reports;

/// <summary>The report as JSON with snake_case names (field list in docs/output.md).</summary>
public static class JsonReportFormatter
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Format(RunReport report) => JsonSerializer.Serialize(report, Options) + "\n";
}
