using YamlDotNet.RepresentationModel;

namespace ExitSim.Evidence;

/// <summary>
/// Lays one YAML mapping over another, key by key and section by section (a case's arm over the shared
/// parameter set): a mapping under both is merged, anything else the overlay gives replaces the base.
/// Builds new mappings and never changes its inputs.
/// </summary>
internal static class YamlMerge
{
    public static YamlMappingNode Over(YamlMappingNode baseMap, YamlMappingNode overlay)
    {
        var merged = new YamlMappingNode();
        foreach (var (key, value) in baseMap.Children)
        {
            var over = Find(overlay, key);
            merged.Children.Add(key, over is null ? value
                : value is YamlMappingNode b && over is YamlMappingNode o ? Over(b, o) : over);
        }
        foreach (var (key, value) in overlay.Children)
            if (Find(baseMap, key) is null) merged.Children.Add(key, value);
        return merged;
    }

    public static string Text(YamlMappingNode map)
    {
        var w = new StringWriter();
        new YamlStream(new YamlDocument(map)).Save(w, assignAnchors: false);
        return w.ToString();
    }

    private static YamlNode? Find(YamlMappingNode map, YamlNode key) =>
        map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode k && key is YamlScalarNode s && k.Value == s.Value).Value;
}
