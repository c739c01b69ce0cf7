namespace ExitSim.Scenarios;

/// <summary>
/// Bad scenario input, located in its file: printed as <c>file:line:col: message (hint)</c>.
/// The CLI turns it into exit code 2 without a stack trace.
/// </summary>
public sealed class ScenarioException(string file, int line, int column, string message) : Exception(message)
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Located => $"{File}:{Line}:{Column}: {Message}";
    public override string ToString() => Located;
}
