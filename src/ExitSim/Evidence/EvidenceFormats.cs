using ExitSim.Reports;

namespace ExitSim.Evidence;

/// <summary>Picks the scoreboard's formatter; each one only formats a <see cref="Scoreboard"/>.</summary>
public static class EvidenceFormats
{
    public static readonly IReadOnlyList<OutputFormat> Supported = [OutputFormat.Text, OutputFormat.Markdown, OutputFormat.Json];

    public static string Format(Scoreboard s, OutputFormat format) => format switch
    {
        OutputFormat.Text => EvidenceTextFormatter.Format(s),
        OutputFormat.Markdown => EvidenceMarkdownFormatter.Format(s),
        OutputFormat.Json => EvidenceJsonFormatter.Format(s),
        _ => throw new NotSupportedException($"the scoreboard has no {OutputFormats.Name(format)} formatter"),
    };
}
