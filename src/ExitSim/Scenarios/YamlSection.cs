using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

/// <summary>
/// One YAML mapping being read against the schema: hands out values by key, remembers which keys
/// were read, and reports the rest as unknown with a "did you mean" — every message located.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlSection(YamlMappingNode node, string file, string path)
    {
        _node = node;
        File = file;
        Path = path;
    }

    public string File { get; }
    /// <summary>Where this section sits, e.g. "vm" or "exits.IO_INSTRUCTION".</summary>
    public string Path { get; }
    public YamlNode Node => _node;

    public IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries =>
        _node.Children.Select(kv => (KeyOf(kv.Key), kv.Value));

    /// <summary>A key as a name (<see cref="YamlGuard"/> refuses other keys before a section is read).</summary>
    private YamlScalarNode KeyOf(YamlNode key) =>
        key as YamlScalarNode ?? throw Error(key, "a key must be a plain name, not a list or a mapping (write name: value)");

    public YamlNode? this[string key]
    {
        get
        {
            _known.Add(key);
            foreach (var kv in _node.Children)
                if (kv.Key is YamlScalarNode s && s.Value == key) return kv.Value;
            return null;
        }
    }

    public YamlNode Required(string key, string example)
    {
        var v = this[key];
        if (v is null || IsNull(v))
            throw Error(v ?? _node, $"'{(Path.Length > 0 ? Path + "." : "")}{key}' is required (e.g. {key}: {example})");
        return v;
    }

    /// <summary>Rejects keys no getter asked for, suggesting the nearest known one.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var kv in _node.Children)
        {
            var key = KeyOf(kv.Key);
            if (_known.Contains(key.Value ?? "")) continue;
            string where = Path.Length == 0 ? "at the top level" : $"in '{Path}'";
            string? near = Suggest.Closest(key.Value ?? "", _known);
            string hint = near is not null ? $"did you mean '{near}'?" : $"known keys: {string.Join(", ", _known)}";
            if ((key.Value ?? "").Contains(')') || (key.Value ?? "").Contains('='))
                hint = "a distribution with commas inside { … } must be quoted, or written in block style";
            throw Error(key, $"unknown key '{key.Value}' {where} ({hint})");
        }
    }

    public ScenarioException Error(YamlNode node, string message) =>
        new(File, (int)node.Start.Line, (int)node.Start.Column, message);

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null");
}
