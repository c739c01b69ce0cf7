namespace ExitSim.Calibration;

/// <summary>
/// A measurement file that cannot be imported. The message reads <c>path:line:col: what is wrong (what was expected)</c>,
/// the form the CLI prints for bad input.
/// </summary>
public sealed class CalibrationInputException : Exception
{
    public CalibrationInputException(string path, int line, int column, string problem)
        : base($"{path}:{line}:{column}: {problem}")
    {
        Path = path;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public string Path { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Problem { get; }
}
