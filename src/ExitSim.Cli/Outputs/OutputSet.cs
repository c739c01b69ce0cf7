using System.Text;
using ExitSim.Files;

namespace ExitSim.Cli.Outputs;

/// <summary>
/// The files one command writes, all or nothing as far as a file system allows. A regular file (or a
/// new one) is written under a temporary name next to it and renamed over the old one only when every
/// file of the set is written, so a full disk, an error or Ctrl-C leaves the old files and no
/// half-written ones (and removes the directories the set created). A symbolic link is followed and
/// its target replaced, so the link stays a link. A character device or FIFO (/dev/null, a terminal, a
/// named pipe) and a descriptor's name (/dev/stdout, /proc/self/fd/N) are written through in place: they
/// cannot be renamed over, and must never become a file.
/// </summary>
public sealed class OutputSet : IDisposable
{
    private sealed record Pending(OutputPath Output, string Final, string? Temp, Action<Stream>? WriteThrough);

    private readonly List<Pending> _pending = [];
    private readonly List<string> _createdDirectories = [];
    private readonly HashSet<string> _finals = new(StringComparer.Ordinal);
    private readonly CancellationToken _cancel;
    private bool _committed;

    public OutputSet(CancellationToken cancel = default) => _cancel = cancel;

    /// <summary>Text (UTF-8, no byte-order mark) for a file output, or for <paramref name="name"/> inside a directory output.</summary>
    public void Write(OutputPath output, string text, string? name = null) =>
        Write(output, s => s.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text)), name);

    public void Write(OutputPath output, byte[] bytes, string? name = null) => Write(output, s => s.Write(bytes), name);

    /// <summary>
    /// Stages a file written by <paramref name="write"/> (which may stream any amount): into a temporary
    /// file now, or, for a device or FIFO, at <see cref="Commit"/>.
    /// </summary>
    public void Write(OutputPath output, Action<Stream> write, string? name = null)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _cancel.ThrowIfCancellationRequested();
        if (output.IsDirectory != (name is not null))
            throw new ArgumentException(output.IsDirectory ? "a directory output needs a file name" : "a file output takes no name");
        string final = Path.GetFullPath(name is null ? output.Path : Path.Combine(output.Path, name));
        if (name is not null) output.CheckLength(final);
        // A device, a FIFO, or a descriptor such as /dev/stdout: written through under the name given
        // (its links may lead to no real path: /proc/self/fd/1 → pipe:[1234]).
        if (PathProbe.Kind(final, follow: true).Kind is PathKind.CharDevice or PathKind.Fifo || OutputPath.NamesOpenDescriptor(final))
        {
            output.CheckTarget(final, directory: false, isInside: name is not null);
            if (!_finals.Add(final)) throw output.Error($"{final} is written twice by this command");
            _pending.Add(new Pending(output, final, null, write));
            return;
        }
        final = FollowLinks(output, final);
        if (!_finals.Add(final)) throw output.Error($"{final} is written twice by this command");
        output.CheckTarget(final, directory: false, isInside: name is not null);

        string dir = Path.GetDirectoryName(final)!;
        CreateDirectory(output, dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(final)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        if (Encoding.UTF8.GetByteCount(Path.GetFileName(temp)) > OutputPath.MaxNameBytes)
            temp = Path.Combine(dir, $".exitsim.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        _pending.Add(new Pending(output, final, temp, null));
        Guard(output, final, () =>
        {
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(s);
                s.Flush(flushToDisk: true);   // the data is on disk before the rename makes it the file
            }
            if (!OperatingSystem.IsWindows() && PathProbe.Kind(final, follow: true).Kind == PathKind.Regular)
                File.SetUnixFileMode(temp, File.GetUnixFileMode(final));   // keep the replaced file's permissions
        });
    }

    /// <summary>Writes the devices and FIFOs, then renames every temporary file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _cancel.ThrowIfCancellationRequested();
        foreach (var p in _pending.Where(p => p.WriteThrough is not null))
            Guard(p.Output, p.Final, () =>
            {
                // A regular file behind a descriptor (a shell's > or >>) is appended to, as the shell's own writes would be.
                var mode = PathProbe.Kind(p.Final, follow: true).Kind == PathKind.Regular ? FileMode.Append : FileMode.Open;
                using var s = new FileStream(p.Final, mode, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
                p.WriteThrough!(s);
                s.Flush();
            });
        foreach (var p in _pending.Where(p => p.Temp is not null))
        {
            // Checked again: something else may have taken the name since it was staged.
            if (PathProbe.Kind(p.Final, follow: false).Kind is not (PathKind.Missing or PathKind.Regular))
                throw p.Output.Error($"{p.Final} changed while it was being written (it is now {PathProbe.Describe(PathProbe.Kind(p.Final, false).Kind)})");
            Guard(p.Output, p.Final, () => File.Move(p.Temp!, p.Final, overwrite: true));
        }
        _committed = true;
    }

    /// <summary>Without <see cref="Commit"/>: removes the temporary files and the directories this set created.</summary>
    public void Dispose()
    {
        foreach (var p in _pending.Where(p => p.Temp is not null))
            try { if (File.Exists(p.Temp)) File.Delete(p.Temp!); }
            catch (IOException) { }
        if (_committed) return;
        for (int i = _createdDirectories.Count - 1; i >= 0; i--)
            try { Directory.Delete(_createdDirectories[i]); }
            catch (IOException) { }   // not empty: someone else wrote there meanwhile
        _pending.Clear();
        _committed = true;
    }

    /// <summary>A symbolic link's final target (its link stays); a dangling link's target is created.</summary>
    private static string FollowLinks(OutputPath output, string path)
    {
        if (PathProbe.Kind(path, follow: false).Kind != PathKind.Symlink) return path;
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? path : Path.GetFullPath(target.FullName);
        }
        catch (IOException e) { throw output.Error($"{path}: {Reason(e)}"); }
    }

    private void CreateDirectory(OutputPath output, string dir)
    {
        var missing = new Stack<string>();
        for (string? d = dir; d is not null && PathProbe.Kind(d, follow: true).Kind == PathKind.Missing; d = Path.GetDirectoryName(d)) missing.Push(d);
        while (missing.Count > 0)
        {
            string d = missing.Pop();
            Guard(output, d, () => Directory.CreateDirectory(d));
            _createdDirectories.Add(d);
        }
    }

    /// <summary>Runs a file operation; an I/O failure (a full disk, no permission) becomes one line, exit code 2.</summary>
    private static void Guard(OutputPath output, string path, Action io)
    {
        try { io(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string which = output.IsDirectory || Path.GetFullPath(output.Path) != path ? $"cannot write {path}: " : "";
            throw output.Error($"{which}{Reason(e)} (nothing was written)");
        }
    }

    /// <summary>The system's reason without the path .NET appends ("No space left on device").</summary>
    internal static string Reason(Exception e)
    {
        if (e is UnauthorizedAccessException) return "permission denied";
        if (e.HResult is > 0 and < 4096) return PathProbe.ErrorText(e.HResult);   // .NET on Unix: HResult = errno
        string m = e.Message;
        int cut = m.IndexOf(" : '", StringComparison.Ordinal);
        return (cut > 0 ? m[..cut] : m).TrimEnd('.');
    }
}
