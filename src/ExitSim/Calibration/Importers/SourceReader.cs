using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// Reads a measurement file into lines, refusing with a located <see cref="CalibrationInputException"/> what is not a
/// readable text file: a missing path, a directory, a FIFO or device (one would wait for a writer, the other never
/// end; a descriptor the shell opened, such as /dev/stdin, is read), binary data (NUL bytes or invalid UTF-8 in the
/// first KiB, NUL anywhere), and more than <see cref="MaxBytes"/> (an endless pipe, or a trace far larger than a fit
/// needs). It reads line by line, so memory stays about twice the text.
/// </summary>
public static class SourceReader
{
    /// <summary>
    /// 256 MiB: about two million trace events, far more than a fit needs, and about 1 GB of memory once split into lines.
    /// </summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>
    /// Four million lines: a real trace line is 80–200 bytes, so <see cref="MaxBytes"/> holds fewer; many short lines (an
    /// endless stream of <c>y</c>) would otherwise cost far more memory than their bytes.
    /// </summary>
    public const int MaxLines = 4_000_000;

    /// <summary>Bytes checked for NUL and invalid UTF-8 before anything is parsed.</summary>
    private const int BinaryProbeBytes = 1024;

    public static SourceText Read(string path, CancellationToken cancel = default)
    {
        if (Directory.Exists(path))
        {
            throw new CalibrationInputException(path, 1, 1, "is a directory, not a measurement file (give the file of the tool's output)");
        }

        if (!File.Exists(path))
        {
            throw new CalibrationInputException(path, 1, 1, "no such file (check the path)");
        }

        if (Scenarios.BoundedFile.NotAFile(path) is { } kind)
        {
            throw new CalibrationInputException(path, 1, 1, $"is {kind}, not a measurement file (save the tool's output to a file, or pipe it in as /dev/stdin)");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            if (stream.CanSeek && stream.Length > MaxBytes)
            {
                throw TooLarge(path, 1);
            }

            return ReadLines(stream, path, cancel);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new CalibrationInputException(path, 1, 1, $"cannot read the file ({e.Message})");
        }
    }

    private static SourceText ReadLines(Stream stream, string path, CancellationToken cancel)
    {
        var probe = new byte[BinaryProbeBytes];
        var probed = stream.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false);
        RejectBinary(probe.AsSpan(0, probed), path);

        var lines = new List<string>();
        var line = new StringBuilder();
        var decoder = new UTF8Encoding(false).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length + 1];
        long total = 0;
        var endsWithNewline = false;
        var first = true;
        var read = probed;
        Array.Copy(probe, bytes, probed);
        while (read > 0)
        {
            cancel.ThrowIfCancellationRequested();
            total += read;
            if (total > MaxBytes)
            {
                throw TooLarge(path, lines.Count + 1);
            }

            var n = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            var start = first && n > 0 && chars[0] == '\uFEFF' ? 1 : 0; // a byte-order mark is not part of the first line
            first = false;
            for (var i = start; i < n; i++)
            {
                switch (chars[i])
                {
                    case '\n':
                        if (lines.Count == MaxLines)
                        {
                            throw new CalibrationInputException(path, lines.Count + 1, 1,
                                $"more than {MaxLines:N0} lines: calibrate reads at most that many of one file (record a shorter window, or cut it, e.g. head -n 1000000)");
                        }

                        lines.Add(TrimCarriageReturn(line));
                        line.Clear();
                        endsWithNewline = true;
                        break;
                    case '\0':
                        throw new CalibrationInputException(path, lines.Count + 1, line.Length + 1, "binary data (NUL character); expected the text output of a measurement tool");
                    default:
                        line.Append(chars[i]);
                        endsWithNewline = false;
                        break;
                }
            }

            read = stream.Read(bytes, 0, bytes.Length);
        }

        var rest = decoder.GetChars([], 0, 0, chars, 0, flush: true);
        line.Append(chars, 0, rest);
        if (line.Length > 0)
        {
            lines.Add(TrimCarriageReturn(line));
            endsWithNewline = false;
        }

        return new SourceText { Path = path, Lines = lines, EndsWithNewline = endsWithNewline };
    }

    private static string TrimCarriageReturn(StringBuilder line) =>
        line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();

    private static CalibrationInputException TooLarge(string path, int line) =>
        new(path, line, 1, $"more than {MaxBytes >> 20} MiB: calibrate reads at most that much of one file (record a shorter window, or cut it, e.g. head -n 1000000)");

    /// <summary>NUL bytes or invalid UTF-8 in the first KiB mean this is not tool text output.</summary>
    internal static void RejectBinary(ReadOnlySpan<byte> probe, string path)
    {
        var nul = probe.IndexOf((byte)0);
        var chars = new char[probe.Length];
        // isFinalBlock: false, so a character cut at the end of the probe is not taken for invalid data.
        var status = Utf8.ToUtf16(probe, chars, out var validBytes, out _, replaceInvalidSequences: false, isFinalBlock: false);
        var bad = nul >= 0 ? nul : status == OperationStatus.InvalidData ? validBytes : -1;
        if (bad < 0)
        {
            return;
        }

        var before = Encoding.UTF8.GetString(probe[..bad]);
        var line = before.Count(c => c == '\n') + 1;
        var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        var what = nul >= 0 ? "NUL byte" : "invalid UTF-8";
        throw new CalibrationInputException(path, line, column, $"binary data ({what}); expected the text output of a measurement tool");
    }
}
