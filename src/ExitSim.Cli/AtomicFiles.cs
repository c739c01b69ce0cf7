namespace ExitSim.Cli;

/// <summary>
/// Writes a set of files all-or-nothing as far as a file system allows: every file goes to a
/// temporary name first, and only when all are written are they renamed into place.
/// </summary>
public static class AtomicFiles
{
    /// <summary>Writes one file atomically (a temporary name, then a rename).</summary>
    public static void WriteFile(string path, string content)
    {
        string full = Path.GetFullPath(path);
        Write(Path.GetDirectoryName(full)!, [(Path.GetFileName(full), content)]);
    }

    public static void Write(string directory, IReadOnlyList<(string Name, string Content)> files)
    {
        Directory.CreateDirectory(directory);
        var temps = new List<(string Temp, string Final)>();
        try
        {
            foreach (var (name, content) in files)
            {
                string final = Path.Combine(directory, name);
                Directory.CreateDirectory(Path.GetDirectoryName(final)!);
                string temp = Path.Combine(Path.GetDirectoryName(final)!, $".{Path.GetFileName(name)}.{Environment.ProcessId}.tmp");
                File.WriteAllText(temp, content);
                temps.Add((temp, final));
            }
            foreach (var (temp, final) in temps) File.Move(temp, final, overwrite: true);
        }
        finally
        {
            foreach (var (temp, _) in temps)
                if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
