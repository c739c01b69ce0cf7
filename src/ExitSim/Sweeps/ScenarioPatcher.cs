using ExitSim.Scenarios;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Sweeps;

/// <summary>
/// Sets scenario keys by dotted path on the YAML text, then reads the result through the normal
/// loader, so a swept value is checked exactly like one written in the file.
/// </summary>
public static class ScenarioPatcher
{
    public static Scenario Apply(string yaml, string file, IReadOnlyList<(string Key, string Value)> settings)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        foreach (var (key, value) in settings)
        {
            var parts = key.Split('.');
            var map = root;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                var child = map.Children.FirstOrDefault(kv => ((YamlScalarNode)kv.Key).Value == parts[i]).Value;
                if (child is null)
                {
                    child = new YamlMappingNode();
                    map.Children.Add(new YamlScalarNode(parts[i]), child);
                }
                map = child as YamlMappingNode ?? throw new FormatException($"--vary {key}: '{parts[i]}' is not a section");
            }
            var existing = map.Children.Keys.FirstOrDefault(k => ((YamlScalarNode)k).Value == parts[^1]);
            if (existing is not null) map.Children.Remove(existing);
            map.Children.Add(new YamlScalarNode(parts[^1]), new YamlScalarNode(value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted });
        }
        var w = new StringWriter();
        stream.Save(w, assignAnchors: false);
        try { return ScenarioLoader.Parse(w.ToString(), file) with { SourcePath = file }; }
        catch (ScenarioException e)
        {
            string what = string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"));
            throw new FormatException($"{what}: {e.Message}");
        }
    }
}
