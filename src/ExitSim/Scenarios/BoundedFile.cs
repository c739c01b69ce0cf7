using System.Text;

namespace ExitSim.Scenarios;

/// <summary>
/// Reads a text file the user named, refusing it past a size limit instead of reading on: a device
/// such as /dev/zero never ends, and a wrong file can be gigabytes.
/// </summary>
public static class BoundedFile
{
    /// <summary>The file's text, or null when it holds more than <paramref name="maxBytes"/>.</summary>
    public static string? ReadText(string path, long maxBytes)
    {
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
