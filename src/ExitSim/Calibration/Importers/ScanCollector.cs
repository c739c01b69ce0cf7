namespace ExitSim.Calibration.Importers;

/// <summary>
/// Book-keeping shared by the importers during one scan: the measurements started so far, which one is current,
/// skipped lines and notes (those seen before the first report go to the first one), the recognised-line score and the
/// first problem.
/// </summary>
internal sealed class ScanCollector(SourceText source, MeasurementFormat format)
{
    private readonly List<MeasurementBuilder> _builders = [];
    private readonly List<SkippedLine> _allSkipped = [];
    private readonly List<SkippedLine> _orphanSkipped = [];
    private readonly List<string> _orphanNotes = [];
    private ImportProblem? _problem;

    public MeasurementBuilder? Current { get; private set; }

    /// <summary>Checks for Ctrl-C every 4,096 lines: often enough to stop a large file at once, rarely enough to cost nothing.</summary>
    public static void CheckCancel(int index, CancellationToken cancel)
    {
        if ((index & 0xFFF) == 0)
        {
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The text of a 1-based line, for locating a problem in it.</summary>
    public string LineText(int line) => source.Lines[line - 1];

    public IReadOnlyList<MeasurementBuilder> Builders => _builders;

    public int RecognisedLines { get; private set; }

    public MeasurementBuilder Start(int line)
    {
        var builder = new MeasurementBuilder(format, source.Path, line);
        _builders.Add(builder);
        Current = builder;
        return builder;
    }

    /// <summary>Ends the current report so the next data line starts a new one.</summary>
    public void EndCurrent() => Current = null;

    public void Recognised() => RecognisedLines++;

    public void Skip(int line, string text)
    {
        var skipped = new SkippedLine(line, text);
        _allSkipped.Add(skipped);
        (Current?.SkippedLines ?? _orphanSkipped).Add(skipped);
    }

    public void Note(string note) => (Current?.Notes ?? _orphanNotes).Add(note);

    /// <summary>
    /// For a number the grammar matched: true when <paramref name="parsed"/>; otherwise records that the number on this line
    /// is out of range (where <paramref name="text"/> sits in <paramref name="lineText"/>) and returns false.
    /// </summary>
    public bool InRange(bool parsed, int line, string lineText, string text, string what)
    {
        if (parsed)
        {
            return true;
        }

        var column = lineText.IndexOf(text, StringComparison.Ordinal) + 1;
        var shown = text.Length > 24 ? text[..24] + "…" : text;
        Fail(line, Math.Max(1, column), $"{what} '{shown}' is out of range or malformed (counts stop at 2^53, times at a year): is the file corrupted?");
        return false;
    }

    /// <summary>Records the first problem; later ones are usually consequences of it.</summary>
    public void Fail(int line, int column, string message) => _problem ??= new ImportProblem(line, column, message);

    public ImportScan Finish()
    {
        if (_builders.Count > 0)
        {
            _builders[0].SkippedLines.InsertRange(0, _orphanSkipped);
            _builders[0].Notes.InsertRange(0, _orphanNotes);
        }

        return new ImportScan
        {
            Format = format,
            Measurements = _builders.Where(b => b.HasData).Select(b => b.Build()).ToArray(),
            RecognisedLines = RecognisedLines,
            SkippedLines = _allSkipped.ToArray(),
            Problem = _problem,
        };
    }
}
