using System.Text;
using System.Text.RegularExpressions;
using ExitSim.Files;

namespace ExitSim.Scenarios;

/// <summary>
/// Reads a text file the user named, refusing it past a size limit instead of reading on: a device
/// such as /dev/zero never ends, and a wrong file can be gigabytes. Only regular files are read: opening
/// a FIFO waits for a writer, possibly for ever, and a device is no input file either.
/// </summary>
public static partial class BoundedFile
{
    /// <summary>
    /// What <paramref name="path"/> is when it exists and is neither a regular file nor a folder ("a FIFO",
    /// "a character device"); null otherwise (a missing path or a folder is for the caller to report). A
    /// descriptor the shell opened already (<c>/dev/stdin</c>, <c>/dev/fd/N</c> from <c>&lt;(…)</c>) is read
    /// whatever it is: nobody has to open its other end any more.
    /// </summary>
    public static string? NotAFile(string path)
    {
        var kind = PathProbe.Kind(path, follow: true).Kind;
        if (kind is PathKind.Regular or PathKind.Missing or PathKind.Directory || Descriptor().IsMatch(Path.GetFullPath(path))) return null;
        return PathProbe.Describe(kind);
    }

    [GeneratedRegex(@"^/(dev/(stdin|fd/\d+)|proc/(self|thread-self|\d+)/fd/\d+)$")]
    private static partial Regex Descriptor();

    /// <summary>
    /// The file's text, or null when it holds more than <paramref name="maxBytes"/>; an <see cref="IOException"/>
    /// when it is not a regular file (callers check <see cref="NotAFile"/> first to say so in their words).
    /// </summary>
    public static string? ReadText(string path, long maxBytes)
    {
        if (NotAFile(path) is { } kind) throw new IOException($"it is {kind}, not a file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = new byte[64 * 1024];
        using var bytes = new MemoryStream();
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (bytes.Length + n > maxBytes) return null;
            bytes.Write(buffer, 0, n);
        }
        bytes.Position = 0;
        using var reader = new StreamReader(bytes, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>A size limit as people read it: 1 MiB, 16 MiB.</summary>
    public static string Describe(long bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";
}
