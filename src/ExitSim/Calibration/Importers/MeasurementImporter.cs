using System.Text;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// Entry point for importing measurement files: reads the file (<see cref="SourceReader"/> refuses missing, binary and
/// oversized input), refuses empty and truncated input with a <see cref="CalibrationInputException"/>, detects the format
/// (or takes the one asked for) and returns one <see cref="Measurement"/> per report in the file.
/// </summary>
public static class MeasurementImporter
{
    /// <summary>Lines that format detection scores; a larger file is then read whole by the chosen importer only.</summary>
    private const int DetectionLines = 20_000;

    /// <summary>The importers, in tie-break order for detection.</summary>
    public static IReadOnlyList<IMeasurementImporter> Importers { get; } =
    [
        new PerfKvmStatImporter(),
        new KvmStatImporter(),
        new FtraceImporter(),
        new BccKvmexitImporter(),
        new KvmUnitTestsImporter(),
    ];

    /// <summary>Picks the format whose grammar recognises the most data lines of the text.</summary>
    public static FormatDetection Detect(string text) => Detect(SourceText.FromText(text, "<text>"));

    public static FormatDetection Detect(SourceText source) => Detect(ScanAll(source, default));

    /// <summary>Imports a file; with <paramref name="format"/> null the format is detected.</summary>
    public static IReadOnlyList<Measurement> Import(string path, MeasurementFormat? format = null, CancellationToken cancel = default) =>
        Import(SourceReader.Read(path, cancel), format, cancel);

    /// <summary>Imports a file in the format named as users type it (<c>perf-kvm-stat</c>, <c>kvm_stat</c>, <c>ftrace</c>, …).</summary>
    public static IReadOnlyList<Measurement> Import(string path, string formatName, CancellationToken cancel = default)
    {
        if (!MeasurementFormatNames.TryParse(formatName, out var format))
        {
            throw new ArgumentException(
                $"unknown measurement format '{formatName}' (expected one of: {string.Join(", ", MeasurementFormatNames.All)})", nameof(formatName));
        }

        return Import(path, format, cancel);
    }

    public static IReadOnlyList<Measurement> ImportBytes(byte[] bytes, string path, MeasurementFormat? format = null)
    {
        SourceReader.RejectBinary(bytes.AsSpan(0, Math.Min(bytes.Length, 1024)), path);
        return ImportText(new UTF8Encoding(false).GetString(bytes), path, format);
    }

    public static IReadOnlyList<Measurement> ImportText(string text, string path, MeasurementFormat? format = null)
    {
        if (text.IndexOf('\0') is var nul and >= 0)
        {
            var (line, column) = Position(text.AsSpan(0, nul));
            throw new CalibrationInputException(path, line, column, "binary data (NUL character); expected the text output of a measurement tool");
        }

        return Import(SourceText.FromText(text, path), format, default);
    }

    public static IReadOnlyList<Measurement> Import(SourceText source, MeasurementFormat? format, CancellationToken cancel)
    {
        var path = source.Path;
        if (source.FirstDataLine() is not { } firstData)
        {
            var onlyComments = source.Lines.Any(SourceText.IsComment);
            throw new CalibrationInputException(
                path,
                onlyComments ? source.Lines.Count : 1,
                1,
                $"{(onlyComments ? "no measurement data, only comment lines" : "empty file")} ({ExpectedFormats()})");
        }

        var scan = format is { } chosen ? Importer(chosen).Scan(source, cancel) : ChooseScan(source, firstData, cancel);
        RejectTruncatedLastLine(source, scan);
        if (scan.Problem is { } failure)
        {
            throw new CalibrationInputException(path, failure.Line, failure.Column, failure.Message);
        }

        if (scan.Measurements.Count == 0)
        {
            throw new CalibrationInputException(path, firstData, 1, $"no {scan.Format.Description()} data found (is this {scan.Format.Description()} output?)");
        }

        return scan.Measurements;
    }

    private static IMeasurementImporter Importer(MeasurementFormat format) => Importers.Single(i => i.Format == format);

    private static ImportScan[] ScanAll(SourceText source, CancellationToken cancel) => Importers.Select(i => i.Scan(source, cancel)).ToArray();

    private static FormatDetection Detect(IReadOnlyList<ImportScan> scans)
    {
        var best = scans.MaxBy(s => s.RecognisedLines); // first of equals wins: Importers is in tie-break order
        return new FormatDetection
        {
            Format = best is { RecognisedLines: > 0 } ? best.Format : null,
            Scores = scans.ToDictionary(s => s.Format, s => s.RecognisedLines),
        };
    }

    /// <summary>Detects the format on the first <see cref="DetectionLines"/> lines, then reads the whole file with that importer alone.</summary>
    private static ImportScan ChooseScan(SourceText source, int firstData, CancellationToken cancel)
    {
        var whole = source.Lines.Count <= DetectionLines;
        var sample = whole ? source : source with { Lines = source.Lines.Take(DetectionLines).ToArray(), EndsWithNewline = true };
        var scans = ScanAll(sample, cancel);
        var detected = Detect(scans).Format
            ?? throw new CalibrationInputException(source.Path, firstData, 1, $"not a recognised measurement format ({ExpectedFormats()})");
        return whole ? scans.Single(s => s.Format == detected) : Importer(detected).Scan(source, cancel);
    }
    private static string ExpectedFormats() =>
        "expected " + string.Join(", ", Importers.Select(i => i.Format.Description()).SkipLast(1))
        + ", or " + Importers[^1].Format.Description() + " output";

    /// <summary>A last line without a line terminator that the importer could not read is a file cut off mid-line.</summary>
    private static void RejectTruncatedLastLine(SourceText source, ImportScan scan)
    {
        var last = source.Lines.Count;
        if (!source.EndsWithNewline && scan.SkippedLines.Any(s => s.Line == last))
        {
            throw new CalibrationInputException(
                source.Path,
                last,
                source.Lines[last - 1].Length + 1,
                $"file ends in the middle of a line (truncated?); expected a complete {scan.Format.Description()} line");
        }
    }

    /// <summary>1-based line and column just after <paramref name="before"/>.</summary>
    private static (int Line, int Column) Position(ReadOnlySpan<char> before)
    {
        var line = before.Count('\n') + 1;
        var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }
}
