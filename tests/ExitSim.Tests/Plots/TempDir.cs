namespace ExitSim.Tests.Plots;

/// <summary>A fresh temporary folder, deleted with its contents on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("exitsim-plots-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }   // a browser still closing its profile: the OS cleans temp later
    }
}
