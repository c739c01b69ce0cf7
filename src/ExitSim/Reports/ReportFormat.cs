namespace ExitSim.Reports;

public enum ReportFormat { Table, Json, Csv, Markdown }

/// <summary>Picks the formatter for a format; each formatter only formats a <see cref="RunReport"/>.</summary>
public static class ReportFormats
{
    public static string Format(RunReport report, ReportFormat format) => format switch
    {
        ReportFormat.Table => PerfTableFormatter.Format(report),
        ReportFormat.Json => JsonReportFormatter.Format(report),
        ReportFormat.Csv => CsvReportFormatter.Format(report),
        ReportFormat.Markdown => MarkdownReportFormatter.Format(report),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string Extension(ReportFormat format) => format switch
    {
        ReportFormat.Table => "txt",
        ReportFormat.Json => "json",
        ReportFormat.Csv => "csv",
        _ => "md",
    };
}
