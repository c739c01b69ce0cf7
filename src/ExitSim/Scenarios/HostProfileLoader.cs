using ExitSim.Units;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

/// <summary>Reads the <c>host_profile:</c> YAML that <c>exitsim probe</c> writes (path medians and means, and the guest loop speed).</summary>
internal static class HostProfileLoader
{
    public static HostProfileRef Load(string file, string? baseDir, YamlSection from, YamlNode at)
    {
        string path = Path.IsPathRooted(file) || baseDir is null ? file : Path.Combine(baseDir, file);
        if (!File.Exists(path)) throw from.Error(at, $"host profile '{file}' not found (write one with: exitsim probe -o {file}; paths are relative to the scenario)");
        if (BoundedFile.NotAFile(path) is { } kind) throw from.Error(at, $"host profile '{file}' is {kind}, not a file (give the YAML file that exitsim probe -o writes)");
        if (ReadText(path) is not { } text)
            throw from.Error(at, $"host profile '{file}' is larger than {BoundedFile.Describe(ScenarioLimits.MaxFileBytes)} (the limit: exitsim probe writes a few KiB)");
        return Parse(text, path, file);
    }

    /// <summary>Reads a profile file; <paramref name="file"/> is the name kept in the result (as the scenario wrote it).</summary>
    public static HostProfileRef LoadFile(string path, string? file = null)
    {
        if (!File.Exists(path)) throw new ScenarioException(path, 1, 1, "host profile not found (write one with: exitsim probe -o FILE)");
        if (BoundedFile.NotAFile(path) is { } kind) throw new ScenarioException(path, 1, 1, $"the host profile is {kind}, not a file (give the YAML file that exitsim probe -o writes)");
        return Parse(ReadText(path) ?? throw new ScenarioException(path, 1, 1,
            $"the host profile is larger than {BoundedFile.Describe(ScenarioLimits.MaxFileBytes)} (the limit: exitsim probe writes a few KiB)"), path, file);
    }

    /// <summary>The profile's text, or null past the size limit.</summary>
    private static string? ReadText(string path)
    {
        try { return BoundedFile.ReadText(path, ScenarioLimits.MaxFileBytes); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException(path, 1, 1, $"cannot read the host profile ({e.Message.TrimEnd('.')})");
        }
    }

    private static HostProfileRef Parse(string text, string path, string? file)
    {
        YamlGuard.Check(text, path);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            throw new ScenarioException(path, (int)e.Start.Line, (int)e.Start.Column,
                "YAML syntax error: " + (e.InnerException?.Message ?? e.Message).TrimEnd('.') + " (exitsim probe -o FILE writes a valid profile)");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            root.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "host_profile" }).Value is not YamlMappingNode profile)
            throw new ScenarioException(path, 1, 1, "not a host profile (expected a 'host_profile:' mapping as written by exitsim probe)");
        if (Child(profile, "paths") is not YamlMappingNode paths)
            throw new ScenarioException(path, (int)profile.Start.Line, (int)profile.Start.Column, "the host profile has no 'paths:' mapping (exitsim probe -o FILE writes one)");
        var list = new List<ProfilePath>();
        foreach (var (key, value) in paths.Children)
        {
            string name = ((YamlScalarNode)key).Value ?? "";
            if (name == "guest_speed_ratio") continue;
            list.Add(new ProfilePath(name, PositiveTime(path, name, value)));
        }
        if (Child(profile, "means") is YamlMappingNode means)
            foreach (var (key, value) in means.Children)
            {
                string name = ((YamlScalarNode)key).Value ?? "";
                int i = list.FindIndex(p => p.Name == name);
                if (i < 0) throw new ScenarioException(path, (int)key.Start.Line, (int)key.Start.Column, $"'means' has '{name}', which is not under 'paths' (give each path a median under paths:)");
                list[i] = list[i] with { MeanNs = PositiveTime(path, name, value) };
            }
        double? guestLoop = Child(profile, "guest_loop") is { } g ? PositiveTime(path, "guest_loop", g) : null;
        return new HostProfileRef(file ?? path, list.ToEquatableArray())
        {
            GuestLoopNs = guestLoop,
            Noisy = Child(profile, "noisy") is YamlScalarNode { Value: "true" },
            EmulatedHost = Child(profile, "emulated_host") is YamlScalarNode { Value: "true" },
        };
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == key).Value;

    private static double PositiveTime(string file, string name, YamlNode value)
    {
        string text = (value as YamlScalarNode)?.Value ?? "";
        var q = UnitParser.Time(text, out var error);
        if (q is null || q.Value.Unit != QuantityUnit.Nanoseconds || q.Value.Value <= 0)
            throw new ScenarioException(file, (int)value.Start.Line, (int)value.Start.Column, $"'{name}': {error ?? "expected a positive time (such as 12.3us)"}");
        return q.Value.Value;
    }
}
