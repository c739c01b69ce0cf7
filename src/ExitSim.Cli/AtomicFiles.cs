using ExitSim.Cli.Outputs;

namespace ExitSim.Cli;

/// <summary>
/// One-call writes through an <see cref="OutputSet"/>: all or nothing, never replacing what is not a
/// regular file (see <see cref="OutputSet"/> for devices, FIFOs and symbolic links).
/// </summary>
public static class AtomicFiles
{
    /// <summary>Writes one file; a path that cannot take it is a usage error naming <paramref name="option"/>.</summary>
    public static void WriteFile(string path, string content, string option = "-o") => WriteFile(OutputPath.File(option, path), content);

    public static void WriteFile(OutputPath file, string content)
    {
        using var set = new OutputSet();
        set.Write(file, content);
        set.Commit();
    }

    /// <summary>Writes files (relative names, subfolders allowed) into a directory, all or nothing.</summary>
    public static void Write(OutputPath directory, IEnumerable<(string Name, string Content)> files, CancellationToken cancel = default)
    {
        using var set = new OutputSet(cancel);
        foreach (var (name, content) in files) set.Write(directory, content, name);
        set.Commit();
    }
}
