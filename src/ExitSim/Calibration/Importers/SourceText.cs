namespace ExitSim.Calibration.Importers;

/// <summary>A measurement file split into lines (without line terminators), as importers read it.</summary>
public sealed record SourceText
{
    public required string Path { get; init; }

    public required IReadOnlyList<string> Lines { get; init; }

    /// <summary>False when the last line has no terminator: together with an unrecognised last line, a sign of truncation.</summary>
    public required bool EndsWithNewline { get; init; }

    public static SourceText FromText(string text, string path)
    {
        var body = text.StartsWith('\uFEFF') ? text[1..] : text;
        var lines = body.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var endsWithNewline = body.EndsWith('\n');
        if (endsWithNewline || body.Length == 0)
        {
            lines.RemoveAt(lines.Count - 1); // the empty piece after the final '\n'
        }

        return new SourceText { Path = path, Lines = lines, EndsWithNewline = endsWithNewline };
    }

    /// <summary>
    /// Comment lines: fixture provenance (<c># SOURCE:</c>, <c># NOTE:</c>, <c># SYNTHETIC</c>, <c># Run A</c>), shell prompts
    /// copied with the output (<c># ./perf kvm stat report …</c>) and ftrace's <c>#</c> header. No supported tool prints a data
    /// line that starts with <c>#</c>.
    /// </summary>
    public static bool IsComment(string line) => line.AsSpan().TrimStart().StartsWith("#");

    public static bool IsBlank(string line) => string.IsNullOrWhiteSpace(line);

    /// <summary>1-based number of the first line that is neither blank nor a comment, or null when there is none.</summary>
    public int? FirstDataLine()
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            if (!IsBlank(Lines[i]) && !IsComment(Lines[i]))
            {
                return i + 1;
            }
        }

        return null;
    }
}
