using System.Text;
using ExitSim.Cli.Outputs;
using ExitSim.Files;

namespace ExitSim.Cli;

/// <summary>
/// Reads a file the user named for a command (not a scenario), up to a size limit: a device such
/// as /dev/zero never ends, and reading on would end in OutOfMemory minutes later.
/// </summary>
public static class InputFiles
{
    /// <summary>
    /// The text of <paramref name="path"/>; a missing file, a directory or more than
    /// <paramref name="maxBytes"/> is a usage error starting with <paramref name="what"/>.
    /// </summary>
    public static string ReadText(string path, string what, long maxBytes, string expected)
    {
        var (kind, errno) = PathProbe.Kind(path, follow: true);
        if (errno != 0) throw new UsageException($"{what}: {path}: {PathProbe.ErrorText(errno)}");
        if (kind == PathKind.Missing) throw new UsageException($"{what}: {path}: no such file");
        if (kind == PathKind.Directory) throw new UsageException($"{what}: {path} is a directory ({expected})");
        if (Scenarios.BoundedFile.NotAFile(path) is { } other) throw new UsageException($"{what}: {path} is {other}, not a file ({expected})");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var buffer = new byte[1 << 16];
            using var bytes = new MemoryStream();
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (bytes.Length + n > maxBytes)
                    throw new UsageException($"{what}: {path} holds more than {maxBytes >> 20} MiB; stopped reading ({expected})");
                bytes.Write(buffer, 0, n);
            }
            var all = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
            return Encoding.UTF8.GetString(all.StartsWith(Encoding.UTF8.Preamble) ? all[3..] : all);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{what}: {path}: {OutputSet.Reason(e)}");
        }
    }
}
