using ExitSim.Reports;

namespace ExitSim.Comparison;

/// <summary>Picks the formatter of a comparison; each one only formats a <see cref="ComparisonResult"/>.</summary>
public static class ComparisonFormats
{
    public static readonly IReadOnlyList<OutputFormat> Supported = [OutputFormat.Text, OutputFormat.Markdown, OutputFormat.Json, OutputFormat.Csv];

    public static string Format(ComparisonResult c, OutputFormat format) => format switch
    {
        OutputFormat.Text => ComparisonTextFormatter.Format(c),
        OutputFormat.Markdown => ComparisonMarkdownFormatter.Format(c),
        OutputFormat.Json => ComparisonJsonFormatter.Format(c),
        OutputFormat.Csv => ComparisonCsvFormatter.Format(c),
        _ => throw new NotSupportedException($"a comparison has no {OutputFormats.Name(format)} formatter"),
    };
}
