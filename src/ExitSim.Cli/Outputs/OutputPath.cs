using System.Text;
using System.Text.RegularExpressions;
using ExitSim.Files;

namespace ExitSim.Cli.Outputs;

/// <summary>
/// A file or directory a command was told to write, checked before any work is done: an empty or
/// too-long path, a directory where a file goes (or the other way round), a path under a file, a disk
/// device or a socket are each one line and exit code 2, with nothing written. What is checked here
/// is checked again when the files are written (<see cref="OutputSet"/>).
/// </summary>
public sealed partial record OutputPath
{
    /// <summary>Linux limits (include/uapi/linux/limits.h): PATH_MAX 4096 with its NUL, NAME_MAX 255.</summary>
    public const int MaxPathBytes = 4095, MaxNameBytes = 255;

    private OutputPath(string option, string path, bool isDirectory)
    {
        Option = option;
        Path = path;
        IsDirectory = isDirectory;
    }

    /// <summary>The option that named it (<c>-o</c>, <c>--plot</c>), for messages.</summary>
    public string Option { get; }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    public bool IsDirectory { get; }

    /// <summary>A file to write (replaced atomically; written through if it is a character device or FIFO).</summary>
    public static OutputPath File(string option, string path)
    {
        var p = new OutputPath(option, path, isDirectory: false);
        p.Check();
        return p;
    }

    /// <summary>A directory to write files into (created if missing).</summary>
    public static OutputPath Directory(string option, string path)
    {
        var p = new OutputPath(option, path, isDirectory: true);
        p.Check();
        return p;
    }

    /// <summary>
    /// Whether this is the process's own standard output by another name (<c>-o /dev/stdout</c>): then no
    /// "wrote …" line is printed into the data.
    /// </summary>
    public bool IsStandardOutput => !IsDirectory && System.IO.Path.GetFullPath(Path) is "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1";

    /// <summary>"wrote PATH (note)" for standard output, unless the output is standard output itself.</summary>
    public void Report(TextWriter stdout, string? note = null)
    {
        if (!IsStandardOutput) stdout.WriteLine($"wrote {Path}{(note is null ? "" : $" ({note})")}");
    }

    /// <summary>A usage error about this output: <c>--plot charts: is a file (…)</c>.</summary>
    public UsageException Error(string what) => new($"{Option} {Quoted(Path)}: {what}");

    /// <summary>The path as the message shows it: quoted when empty or spaced, shortened in the middle when very long.</summary>
    internal static string Quoted(string path)
    {
        if (path.Length > 160) path = path[..60] + "…" + path[^60..];
        return path.Length == 0 || path.Any(char.IsWhiteSpace) ? $"'{path}'" : path;
    }

    private void Check()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw Error($"an empty path (give a {(IsDirectory ? "directory" : "file name")})");
        if (Path.Contains('\0')) throw Error("the path contains a NUL character");
        string full = System.IO.Path.GetFullPath(Path);
        CheckLength(full);
        CheckTarget(full, IsDirectory, isInside: false);
    }

    /// <summary>Refuses a path the kernel would refuse with ENAMETOOLONG, saying which part is too long.</summary>
    internal void CheckLength(string full)
    {
        int bytes = Encoding.UTF8.GetByteCount(full);
        if (bytes > MaxPathBytes) throw Error($"the path is {bytes} bytes long (at most {MaxPathBytes})");
        foreach (var name in full.Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            if (Encoding.UTF8.GetByteCount(name) is var n && n > MaxNameBytes)
                throw Error($"'{name[..12]}…' is {n} bytes long (a file or directory name has at most {MaxNameBytes})");
    }

    /// <summary>
    /// Refuses what cannot be written: a directory where a file goes, anything but a directory where a
    /// directory goes, a disk or a socket, a path under a file, a folder the user may not write in.
    /// <paramref name="isInside"/>: <paramref name="full"/> is a file inside this directory output.
    /// </summary>
    internal void CheckTarget(string full, bool directory, bool isInside)
    {
        string shown = isInside ? $"{System.IO.Path.GetFileName(full)} in it" : "";
        var (kind, errno) = PathProbe.Kind(full, follow: true);
        if (!directory && NamesOpenDescriptor(full) && errno == 0 && kind is not (PathKind.Directory or PathKind.Missing))
            return;   // /dev/stdout and the like: written through, whatever the shell opened
        if (errno == PathProbe.ENOTDIR) throw Error($"'{FileAncestor(full)}' is a file, not a directory");
        if (errno != 0) throw Error($"{PathProbe.ErrorText(errno)}{(isInside ? $" ({shown})" : "")}");
        switch (kind)
        {
            case PathKind.Missing or PathKind.Regular when !directory:
            case PathKind.Missing when directory:
                CheckWritableParent(full);
                return;
            case PathKind.Directory when directory:
                if (!PathProbe.Writable(full)) throw Error("cannot write in it (permission denied)");
                return;
            case PathKind.CharDevice or PathKind.Fifo when !directory:
                return;   // written through, in place: /dev/null, /dev/stdout, a named pipe
            case PathKind.Directory:
                throw Error(isInside ? $"{shown} is a directory" : "is a directory (give a file name)");
            case PathKind.BlockDevice:
                throw Error($"{(isInside ? shown + " " : "")}is a block device (a disk: exitsim never writes one)");
            default:
                throw Error(directory ? $"is {PathProbe.Describe(kind)}, not a directory"
                    : $"{(isInside ? shown + " " : "")}is {PathProbe.Describe(kind)} (give a file name)");
        }
    }

    /// <summary>
    /// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: names of a descriptor this process holds (a pipe,
    /// a terminal, or the file a shell redirected to). Written through, never replaced: a new file in its
    /// place would not be what the descriptor points at.
    /// </summary>
    internal static bool NamesOpenDescriptor(string full) => Descriptor().IsMatch(full);

    [GeneratedRegex(@"^/(dev/(stdout|stderr|fd/\d+)|proc/(self|thread-self|\d+)/fd/\d+)$")]
    private static partial Regex Descriptor();

    /// <summary>The deepest existing ancestor must be a directory this process may write in.</summary>
    private void CheckWritableParent(string full)
    {
        for (string? dir = System.IO.Path.GetDirectoryName(full); dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
        {
            var (kind, _) = PathProbe.Kind(dir, follow: true);
            if (kind == PathKind.Missing) continue;
            if (kind != PathKind.Directory) throw Error($"'{dir}' is {PathProbe.Describe(kind)}, not a directory");
            if (!PathProbe.Writable(dir)) throw Error($"cannot write in {dir} (permission denied)");
            return;
        }
    }

    /// <summary>The first ancestor of <paramref name="full"/> that exists and is not a directory.</summary>
    private static string FileAncestor(string full)
    {
        var ancestors = new List<string>();
        for (string? dir = System.IO.Path.GetDirectoryName(full); dir is not null; dir = System.IO.Path.GetDirectoryName(dir)) ancestors.Insert(0, dir);
        foreach (var a in ancestors)
            if (PathProbe.Kind(a, follow: true).Kind is not (PathKind.Directory or PathKind.Missing)) return a;
        return System.IO.Path.GetDirectoryName(full) ?? full;
    }
}
