using System.Globalization;
using ExitSim.Reports;
using ExitSim.Units;

namespace ExitSim.Cli;

/// <summary>Parses option values with the same units and messages as scenarios.</summary>
public static class CliOptions
{
    public static ReportFormat Format(string text) => text.ToLowerInvariant() switch
    {
        "table" or "text" => ReportFormat.Table,
        "json" => ReportFormat.Json,
        "csv" => ReportFormat.Csv,
        "markdown" or "md" => ReportFormat.Markdown,
        _ => throw new UsageException($"--format: unknown format '{text}' (use table, json, csv, markdown or html)"),
    };

    public static ulong? Seed(string? text)
    {
        if (text is null) return null;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        throw new UsageException($"--seed: expected a whole number from 0 to {ulong.MaxValue}, got '{text}'");
    }

    public static double? Duration(string? text, string option)
    {
        if (text is null) return null;
        var q = UnitParser.Time(text, out var error);
        if (q is null) throw new UsageException($"{option}: {error}");
        if (q.Value.Unit == QuantityUnit.Cycles) throw new UsageException($"{option}: give simulated time in ns, us, ms or s, not cycles");
        if (q.Value.Value <= 0) throw new UsageException($"{option}: must be greater than zero, got '{text}'");
        return q.Value.Value;
    }

    public static int? Count(string? text, string option, int min)
    {
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min) return v;
        throw new UsageException($"{option}: expected a whole number of at least {min}, got '{text}'");
    }
}
