using ExitSim.Units;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

/// <summary>Reads the <c>host_profile:</c> YAML that <c>exitsim probe</c> writes (only the path medians are used).</summary>
internal static class HostProfileLoader
{
    public static HostProfileRef Load(string file, string? baseDir, YamlSection from, YamlNode at)
    {
        string path = Path.IsPathRooted(file) || baseDir is null ? file : Path.Combine(baseDir, file);
        if (!File.Exists(path)) throw from.Error(at, $"host profile '{file}' not found (write one with: exitsim probe -o {file}; paths are relative to the scenario)");
        var stream = new YamlStream();
        try { stream.Load(new StringReader(File.ReadAllText(path))); }
        catch (YamlException e) { throw new ScenarioException(path, (int)e.Start.Line, (int)e.Start.Column, "YAML syntax error: " + (e.InnerException?.Message ?? e.Message)); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            root.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "host_profile" }).Value is not YamlMappingNode profile)
            throw new ScenarioException(path, 1, 1, "not a host profile (expected a 'host_profile:' mapping as written by exitsim probe)");
        if (profile.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "paths" }).Value is not YamlMappingNode paths)
            throw new ScenarioException(path, (int)profile.Start.Line, (int)profile.Start.Column, "the host profile has no 'paths:' mapping");
        var list = new List<ProfilePath>();
        foreach (var (key, value) in paths.Children)
        {
            string name = ((YamlScalarNode)key).Value ?? "";
            if (name == "guest_speed_ratio") continue;
            string text = (value as YamlScalarNode)?.Value ?? "";
            var q = UnitParser.Time(text, out var error);
            if (q is null || q.Value.Unit != QuantityUnit.Nanoseconds || q.Value.Value <= 0)
                throw new ScenarioException(path, (int)value.Start.Line, (int)value.Start.Column, $"'{name}': {error ?? "expected a positive time such as 12.3us"}");
            list.Add(new ProfilePath(name, q.Value.Value));
        }
        return new HostProfileRef(file, list.ToEquatableArray());
    }
}
