namespace ExitSim.Cli;

/// <summary>
/// The repository's scenarios/ folder as built into the exitsim assembly, so that an installed tool
/// (which has no repository next to it) can write them out with <c>exitsim init</c>.
/// </summary>
public static class ShippedScenarios
{
    private const string Prefix = "scenarios/";

    /// <summary>Every shipped scenario as (path relative to scenarios/, with '/' separators, YAML text), by path.</summary>
    public static IReadOnlyList<(string Path, string Yaml)> All()
    {
        var assembly = typeof(ShippedScenarios).Assembly;
        return assembly.GetManifestResourceNames()
            .Select(n => (Name: n, Path: n.Replace('\\', '/')))
            .Where(r => r.Path.StartsWith(Prefix, StringComparison.Ordinal))
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .Select(r =>
            {
                using var stream = assembly.GetManifestResourceStream(r.Name)!;
                using var reader = new StreamReader(stream);
                return (r.Path[Prefix.Length..], reader.ReadToEnd());
            })
            .ToList();
    }
}
