namespace ExitSim.Reports;

/// <summary>Picks the formatter of a run report; each formatter only formats a <see cref="RunReport"/>.</summary>
public static class ReportFormats
{
    /// <summary>What the core writes (HTML, with its charts, is ExitSim.Plots' <c>HtmlReport</c>).</summary>
    public static readonly IReadOnlyList<OutputFormat> Supported = [OutputFormat.Text, OutputFormat.Markdown, OutputFormat.Json, OutputFormat.Csv];

    public static string Format(RunReport report, OutputFormat format) => format switch
    {
        OutputFormat.Text => PerfTableFormatter.Format(report),
        OutputFormat.Json => JsonReportFormatter.Format(report),
        OutputFormat.Csv => CsvReportFormatter.Format(report),
        OutputFormat.Markdown => MarkdownReportFormatter.Format(report),
        _ => throw new NotSupportedException($"a run report has no {OutputFormats.Name(format)} formatter here"),
    };
}
