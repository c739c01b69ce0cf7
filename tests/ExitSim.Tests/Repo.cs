namespace ExitSim.Tests;

/// <summary>Finds files of the repository from the test's bin folder.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "ExitSim.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (ExitSim.slnx) not found");
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static IEnumerable<string> ShippedScenarios() =>
        Directory.EnumerateFiles(Path("scenarios"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
}
