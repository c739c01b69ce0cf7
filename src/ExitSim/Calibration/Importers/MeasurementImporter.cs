using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// Entry point for importing measurement files: reads the bytes, refuses binary, empty and truncated input with a
/// <see cref="CalibrationInputException"/>, detects the format (or takes the one asked for) and returns one
/// <see cref="Measurement"/> per report in the file.
/// </summary>
public static class MeasurementImporter
{
    /// <summary>Bytes checked for NUL and invalid UTF-8 before anything is parsed.</summary>
    private const int BinaryProbeBytes = 1024;

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

    public static FormatDetection Detect(SourceText source) => Detect(ScanAll(source));

    /// <summary>Imports a file; with <paramref name="format"/> null the format is detected. I/O errors (missing file) propagate as they are.</summary>
    public static IReadOnlyList<Measurement> Import(string path, MeasurementFormat? format = null) =>
        ImportBytes(File.ReadAllBytes(path), path, format);

    /// <summary>Imports a file in the format named as users type it (<c>perf-kvm-stat</c>, <c>kvm_stat</c>, <c>ftrace</c>, …).</summary>
    public static IReadOnlyList<Measurement> Import(string path, string formatName)
    {
        if (!MeasurementFormatNames.TryParse(formatName, out var format))
        {
            throw new ArgumentException(
                $"unknown measurement format '{formatName}' (expected one of: {string.Join(", ", MeasurementFormatNames.All)})", nameof(formatName));
        }

        return Import(path, format);
    }

    public static IReadOnlyList<Measurement> ImportBytes(byte[] bytes, string path, MeasurementFormat? format = null)
    {
        RejectBinary(bytes, path);
        return ImportText(new UTF8Encoding(false).GetString(bytes), path, format);
    }

    public static IReadOnlyList<Measurement> ImportText(string text, string path, MeasurementFormat? format = null)
    {
        if (text.IndexOf('\0') is var nul and >= 0)
        {
            var (line, column) = Position(text.AsSpan(0, nul));
            throw new CalibrationInputException(path, line, column, "binary data (NUL character); expected the text output of a measurement tool");
        }

        var source = SourceText.FromText(text, path);
        if (source.FirstDataLine() is not { } firstData)
        {
            var onlyComments = source.Lines.Any(SourceText.IsComment);
            throw new CalibrationInputException(
                path,
                onlyComments ? source.Lines.Count : 1,
                1,
                $"{(onlyComments ? "no measurement data, only comment lines" : "empty file")} ({ExpectedFormats()})");
        }

        var scan = format is { } chosen ? Importer(chosen).Scan(source) : ChooseScan(source, firstData);
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

    private static ImportScan[] ScanAll(SourceText source) => Importers.Select(i => i.Scan(source)).ToArray();

    private static FormatDetection Detect(IReadOnlyList<ImportScan> scans)
    {
        var best = scans.MaxBy(s => s.RecognisedLines); // first of equals wins: Importers is in tie-break order
        return new FormatDetection
        {
            Format = best is { RecognisedLines: > 0 } ? best.Format : null,
            Scores = scans.ToDictionary(s => s.Format, s => s.RecognisedLines),
        };
    }

    private static ImportScan ChooseScan(SourceText source, int firstData)
    {
        var scans = ScanAll(source);
        var detected = Detect(scans).Format
            ?? throw new CalibrationInputException(source.Path, firstData, 1, $"not a recognised measurement format ({ExpectedFormats()})");
        return scans.Single(s => s.Format == detected);
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

    /// <summary>NUL bytes or invalid UTF-8 in the first KiB mean this is not tool text output.</summary>
    private static void RejectBinary(byte[] bytes, string path)
    {
        var probe = bytes.AsSpan(0, Math.Min(bytes.Length, BinaryProbeBytes));
        var nul = probe.IndexOf((byte)0);
        var chars = new char[probe.Length];
        // isFinalBlock: false, so a character cut at the end of the probe is not taken for invalid data.
        var status = Utf8.ToUtf16(probe, chars, out var validBytes, out _, replaceInvalidSequences: false, isFinalBlock: false);
        var bad = nul >= 0 ? nul : status == OperationStatus.InvalidData ? validBytes : -1;
        if (bad < 0)
        {
            return;
        }

        var (line, column) = Position(Encoding.UTF8.GetString(probe[..bad]));
        var what = nul >= 0 ? "NUL byte" : "invalid UTF-8";
        throw new CalibrationInputException(path, line, column, $"binary data ({what}); expected the text output of a measurement tool");
    }

    /// <summary>1-based line and column just after <paramref name="before"/>.</summary>
    private static (int Line, int Column) Position(ReadOnlySpan<char> before)
    {
        var line = before.Count('\n') + 1;
        var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }
}
