namespace ExitSim.Reports;

/// <summary>
/// The output formats, under one set of names for every command (<c>--format text|markdown|json|csv</c>,
/// and <c>html</c> for a run). Each kind of result has one formatter per format it supports.
/// </summary>
public enum OutputFormat { Text, Markdown, Json, Csv, Html }

public static class OutputFormats
{
    /// <summary>The usual file extension of a format.</summary>
    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.Text => "txt",
        OutputFormat.Markdown => "md",
        OutputFormat.Json => "json",
        OutputFormat.Csv => "csv",
        _ => "html",
    };

    /// <summary>The name <c>--format</c> takes.</summary>
    public static string Name(OutputFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>Reads a format name (case-insensitive; <c>md</c> for markdown, <c>table</c> for text as before).</summary>
    public static OutputFormat? Parse(string name) => name.ToLowerInvariant() switch
    {
        "text" or "table" or "txt" => OutputFormat.Text,
        "markdown" or "md" => OutputFormat.Markdown,
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        "html" or "htm" => OutputFormat.Html,
        _ => null,
    };
}
