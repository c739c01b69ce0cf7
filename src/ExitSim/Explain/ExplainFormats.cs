using ExitSim.Reports;

namespace ExitSim.Explain;

/// <summary>Picks the formatter of an <see cref="Explanation"/>; each one only formats it.</summary>
public static class ExplainFormats
{
    public static readonly IReadOnlyList<OutputFormat> Supported = [OutputFormat.Text, OutputFormat.Markdown, OutputFormat.Json];

    public static string Format(Explanation e, OutputFormat format) => format switch
    {
        OutputFormat.Text => ExplainTextFormatter.Format(e),
        OutputFormat.Markdown => ExplainMarkdownFormatter.Format(e),
        OutputFormat.Json => ExplainJsonFormatter.Format(e),
        _ => throw new NotSupportedException($"an explanation has no {OutputFormats.Name(format)} formatter"),
    };
}
