using ExitSim.Reports;

namespace ExitSim.Sweeps;

/// <summary>Picks the formatter of a sweep; each one only formats a <see cref="SweepResult"/>.</summary>
public static class SweepFormats
{
    public static readonly IReadOnlyList<OutputFormat> Supported = [OutputFormat.Markdown, OutputFormat.Json, OutputFormat.Csv];

    /// <param name="slo">Marks each point ok or missed (Markdown only: CSV and JSON carry the numbers).</param>
    public static string Format(SweepResult s, OutputFormat format, Slo? slo = null) => format switch
    {
        OutputFormat.Markdown => SweepMarkdownFormatter.Format(s, slo),
        OutputFormat.Json => SweepJsonFormatter.Format(s),
        OutputFormat.Csv => SweepCsvFormatter.Format(s),
        _ => throw new NotSupportedException($"a sweep has no {OutputFormats.Name(format)} formatter"),
    };
}
