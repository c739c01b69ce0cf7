using System.CommandLine;
using ExitSim.Reports;

namespace ExitSim.Cli;

/// <summary>
/// <c>--format</c>, with one set of names for every command (<c>text|markdown|json|csv</c>, <c>md</c> for
/// markdown, <c>html</c> for a run). Without it a command writing one file takes the format from
/// <c>-o</c>'s extension, else its default. A format the command does not write is a usage error.
/// </summary>
public sealed class FormatOption
{
    private readonly string _command;
    private readonly IReadOnlyList<OutputFormat> _supported;
    private readonly OutputFormat _default;

    public FormatOption(string command, IReadOnlyList<OutputFormat> supported, OutputFormat @default, bool fromOutFile = false)
    {
        _command = command;
        _supported = supported;
        _default = @default;
        Option = new Option<string?>("--format", "-f")
        {
            Description = $"{Names()} (default: {(fromOutFile ? "from -o's extension, else " : "")}{OutputFormats.Name(@default)})",
            HelpName = "FORMAT",
        };
    }

    public Option<string?> Option { get; }

    /// <summary>The format asked for: <c>--format</c>, else <paramref name="outFile"/>'s extension if it names one, else the default.</summary>
    public OutputFormat Read(ParseResult pr, string? outFile = null)
    {
        if (pr.GetValue(Option) is { } name)
        {
            var f = OutputFormats.Parse(name) ?? throw new UsageException($"--format: unknown format '{name}' ({_command} writes {Names()})");
            return Check(f, "--format");
        }
        if (outFile is not null && OutputFormats.Parse(Path.GetExtension(outFile).TrimStart('.')) is { } byExtension)
            return Check(byExtension, $"-o {outFile}");
        return _default;
    }

    private OutputFormat Check(OutputFormat f, string source) => _supported.Contains(f) ? f
        : throw new UsageException($"{source}: {_command} does not write {OutputFormats.Name(f)} (it writes {Names()})");

    private string Names()
    {
        var names = _supported.Select(OutputFormats.Name).ToArray();
        return names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
