using ExitSim.Distributions;
using ExitSim.Units;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// Reading one value: its type, its unit and its range, each refusal located with a hint.
public static partial class ScenarioLoader
{
    private static YamlSection Map(YamlSection parent, YamlNode node, string key)
    {
        string path = parent.Path.Length == 0 ? key : parent.Path + "." + key;
        if (node is YamlMappingNode m) return new YamlSection(m, parent.File, path);
        throw parent.Error(node, $"'{path}' must be a mapping of keys, got {Describe(node)} (e.g. {key}: {{ ... }})");
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "a mapping",
    };

    private static YamlScalarNode Scalar(YamlSection s, YamlNode node, string key)
    {
        if (node is YamlScalarNode sc) return sc;
        throw s.Error(node, $"'{key}' must be a single value, got {Describe(node)} (write {key}: value)");
    }

    private static string? Str(YamlSection s, string key) =>
        s[key] is { } n && !YamlSection.IsNull(n) ? Scalar(s, n, key).Value : null;

    /// <summary>The scenario's name: it names the report and the files of <c>run --out</c>.</summary>
    private static string? Name(YamlSection top)
    {
        if (top["name"] is not { } node || YamlSection.IsNull(node)) return null;
        string name = Scalar(top, node, "name").Value ?? "";
        if (name.Trim().Length == 0) throw top.Error(node, "'name' is empty (e.g. name: database, or leave it out to use the file name)");
        if (name.Length > ScenarioLimits.MaxNameLength)
            throw top.Error(node, $"'name' is {name.Length} characters long (at most {ScenarioLimits.MaxNameLength}: it names the report's files; put prose in description:)");
        if (name.Any(char.IsControl)) throw top.Error(node, "'name' holds a line break or another control character (one line, e.g. name: database)");
        return name;
    }

    private static int Int(YamlSection s, YamlNode node, string key, int min, int max, string? why = null)
    {
        string text = Scalar(s, node, key).Value ?? "";
        double? v = UnitParser.Number(text, out _);
        string range = $"from {min} to {max}{(why is null ? "" : ": " + why)}";
        if (v is null || v != Math.Floor(v.Value))
            throw s.Error(node, $"'{key}' must be a whole number, got '{text}' ({range})");
        if (v < min) throw s.Error(node, $"'{key}' must be at least {min}, got {text} ({range})");
        if (v > max) throw s.Error(node, $"'{key}' must be at most {max}, got {text} ({range})");
        return (int)v.Value;
    }

    /// <summary>A plain number in [<paramref name="min"/>, <paramref name="max"/>] (0 also allowed with <paramref name="allowZero"/>).</summary>
    private static double Number(YamlSection s, YamlNode node, string key, double min, double max, bool allowZero, string example)
    {
        string text = Scalar(s, node, key).Value ?? "";
        double? v = UnitParser.Number(text, out var err);
        if (v is null) throw s.Error(node, $"'{key}': {err}");
        if (v < 0 || (!allowZero && v == 0))
            throw s.Error(node, $"'{key}' must be {(allowZero ? "zero or more" : "greater than zero")}, got {text} (e.g. {key}: {example})");
        if (v != 0 && (v < min || v > max))
            throw s.Error(node, $"'{key}' must be from {UnitFormat.Number(min)} to {UnitFormat.Number(max)}{(allowZero ? ", or 0" : "")}, got {text} (e.g. {key}: {example})");
        return v.Value;
    }

    private static Quantity Time(YamlSection s, YamlNode node, string key, bool allowZero, bool allowCycles = true)
    {
        string text = Scalar(s, node, key).Value ?? "";
        var q = UnitParser.Time(text, out var err);
        if (q is null) throw s.Error(node, $"'{key}': {err}");
        if (!allowCycles && q.Value.Unit == QuantityUnit.Cycles) throw s.Error(node, $"'{key}' is a simulated duration: give it in ns, us, ms or s, not cycles (e.g. {key}: 100ms)");
        if (q.Value.Value < 0 || (!allowZero && q.Value.Value == 0))
            throw s.Error(node, $"'{key}' must be {(allowZero ? "zero or more" : "greater than zero")}, got {text} (a time such as 500us or 2s)");
        return q.Value;
    }

    private static double Rate(YamlSection s, YamlNode node, string key)
    {
        string text = Scalar(s, node, key).Value ?? "";
        double? v = UnitParser.Rate(text, out var err);
        if (v is null) throw s.Error(node, $"'{key}': {err}");
        if (v < 0) throw s.Error(node, $"'{key}' cannot be negative, got {text} (e.g. {key}: 25k/s, or 0 for none)");
        return v.Value;
    }

    private static double Share(YamlSection s, YamlNode node, string key)
    {
        string text = Scalar(s, node, key).Value ?? "";
        double? v = UnitParser.Number(text, out var err);
        if (v is null) throw s.Error(node, $"'{key}': {err} (write a share as 30% or 0.3)");
        if (v < 0 || v > 1) throw s.Error(node, $"'{key}' is a share between 0% and 100%, got {text} (e.g. {key}: 30%)");
        return v.Value;
    }

    private static Distribution Dist(YamlSection s, YamlNode node, string key, string? baseDir)
    {
        var sc = Scalar(s, node, key);
        string text = sc.Value ?? "";
        try { return DistributionParser.Parse(text, baseDir); }
        catch (DistributionSyntaxException e)
        {
            // Point at the character inside the value when the scalar is written on one line.
            int quote = sc.Style is ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted ? 1 : 0;
            bool oneLine = sc.Start.Line == sc.End.Line;
            int col = (int)sc.Start.Column + (oneLine ? quote + e.Offset : 0);
            string hint = e.Message.StartsWith("missing ')'") ? " (a distribution with commas inside { … } must be quoted, or written in block style)" : "";
            throw new ScenarioException(s.File, (int)sc.Start.Line, col, $"'{key}': {e.Message}{hint}");
        }
    }

    private static T Enum<T>(YamlSection s, YamlNode node, string key, params (string Name, T Value)[] options)
    {
        string text = Scalar(s, node, key).Value ?? "";
        foreach (var (name, value) in options)
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) return value;
        string? near = Suggest.Closest(text, options.Select(o => o.Name));
        throw s.Error(node, $"'{key}' must be one of {string.Join(", ", options.Select(o => o.Name))}, got '{text}'" +
            (near is not null ? $" (did you mean '{near}'?)" : $" (e.g. {key}: {options[0].Name})"));
    }

    private static long Size(YamlSection s, YamlNode node, string key)
    {
        string text = Scalar(s, node, key).Value ?? "";
        long? v = UnitParser.Size(text, out var err);
        if (v is null) throw s.Error(node, $"'{key}': {err}");
        if (v <= 0) throw s.Error(node, $"'{key}' must be greater than zero, got {text} (e.g. {key}: 16GiB)");
        return v.Value;
    }

    private static long PageSize(YamlSection s, YamlNode node)
    {
        long v = Size(s, node, "page_size");
        if (v is 4096 or 2L << 20 or 1L << 30) return v;
        throw s.Error(node, $"'page_size' must be 4KiB, 2MiB or 1GiB, got {((YamlScalarNode)node).Value} (the x86 page sizes)");
    }

    /// <summary>
    /// <c>vm.backing</c> and <c>vm.page_size</c>: each implies the other where only one is given (4KiB is anonymous
    /// memory, 2MiB transparent huge pages, 1GiB hugetlbfs, the only way to get it); neither gives the defaults'.
    /// </summary>
    private static (MemoryBacking Backing, long PageSize) Backing(YamlSection s, HostDefaults defaults)
    {
        var backingNode = s["backing"];
        var pageNode = s["page_size"];
        long? page = pageNode is not null ? PageSize(s, pageNode) : null;
        MemoryBacking? backing = backingNode is not null
            ? Enum(s, backingNode, "backing", ("anonymous", MemoryBacking.Anonymous), ("thp", MemoryBacking.Thp), ("hugetlbfs", MemoryBacking.Hugetlbfs))
            : null;
        backing ??= page is { } written ? MemoryBackings.Of(written) : defaults.Backing;
        page ??= MemoryBackings.PageBytes(backing.Value);
        string? wrong = (backing, page) switch
        {
            (MemoryBacking.Anonymous, not 4096) => "anonymous memory is backed by 4 KiB pages (use backing: thp or hugetlbfs for huge pages)",
            (MemoryBacking.Thp, not (2L << 20)) => "transparent huge pages are 2 MiB (1 GiB pages need backing: hugetlbfs; 4 KiB is backing: anonymous)",
            (MemoryBacking.Hugetlbfs, 4096) => "hugetlbfs pages are 2MiB or 1GiB (4 KiB pages are backing: anonymous)",
            _ => null,
        };
        if (wrong is not null) throw s.Error(pageNode ?? backingNode!, $"'page_size' {UnitFormat.Bytes(page.Value)} does not fit backing: {MemoryBackings.Name(backing.Value)}: {wrong}");
        return (backing.Value, page.Value);
    }

    /// <summary>A byte rate such as 4MiB/s (bytes per second of guest time).</summary>
    private static double ByteRate(YamlSection s, YamlNode node, string key, double min = 0)
    {
        string text = Scalar(s, node, key).Value ?? "";
        int slash = text.LastIndexOf('/');
        if (slash < 0 || text[(slash + 1)..].Trim() != "s")
            throw s.Error(node, $"'{key}' is bytes per second of guest time, e.g. 4MiB/s, got '{text}' (a size per second)");
        long? bytes = UnitParser.Size(text[..slash].Trim(), out var err);
        if (bytes is null) throw s.Error(node, $"'{key}': {err}");
        if (bytes < 0) throw s.Error(node, $"'{key}' cannot be negative, got {text} (e.g. {key}: 4MiB/s)");
        if (bytes > 0 && bytes < min)
            throw s.Error(node, $"'{key}' is below {UnitFormat.Bytes((long)min)}/s, got {text} (leave it out, or 0, when memory is preallocated)");
        return bytes.Value;
    }

    /// <summary>A distribution of simulated time (ns, us, ms, s), not of cycles: it is not a CPU cost on the host.</summary>
    private static Distribution TimeDist(YamlSection s, YamlNode node, string key, string? baseDir)
    {
        var d = Dist(s, node, key, baseDir);
        if (d.Format().Contains("cyc")) throw s.Error(node, $"'{key}' is a time: give it in ns, us, ms or s, not cycles (e.g. {key}: exp(100us))");
        return d;
    }
}
