using ExitSim.Model;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

/// <summary>Checks that need several sections at once (e.g. a reason's cost may come from costs:).</summary>
internal static class ScenarioChecks
{
    public static void Check(Scenario s, YamlMappingNode root, string file)
    {
        var exitsNode = Child(root, "exits") as YamlMappingNode;
        foreach (var e in s.Exits)
        {
            var at = KeyNode(exitsNode, e.Reason) ?? root;
            ScenarioException Fail(string message) => new(file, (int)at.Start.Line, (int)at.Start.Column, message);
            var path = ResolvedPath(s, e);
            string[] missing = new[]
            {
                (e.Costs.Save ?? s.Costs.Save) is null ? "save" : null,
                (e.Costs.Handle ?? s.Costs.Handle) is null ? "handle" : null,
                (e.Costs.Reenter ?? s.Costs.Reenter) is null ? "reenter" : null,
                path == ExitPath.Userspace && (e.Costs.Emulate ?? s.Costs.Emulate) is null ? "emulate" : null,
            }.OfType<string>().ToArray();
            if (missing.Length > 0)
                throw Fail($"{e.Reason} has no {string.Join(", ", missing)} cost (give it here or as a default under costs:)");
            if (path == ExitPath.Kernel && e.Costs.Emulate is not null)
                throw Fail($"{e.Reason} has an emulate cost but its path is kernel (emulate is QEMU time: set path: userspace, or drop emulate)");
        }

        if (s.Vm.TimerHz > 0)
        {
            foreach (var reason in TimerTick.Reasons(s.Host.Vendor))
            {
                var e = s.Exits.FirstOrDefault(x => x.Reason == reason);
                bool hasCosts = (e?.Costs.Save ?? s.Costs.Save) is not null && (e?.Costs.Handle ?? s.Costs.Handle) is not null &&
                                (e?.Costs.Reenter ?? s.Costs.Reenter) is not null;
                if (!hasCosts)
                {
                    var at = KeyNode(Child(root, "vm") as YamlMappingNode, "timer_hz") ?? root;
                    throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column,
                        $"timer ticks exit as {string.Join(" + ", TimerTick.Reasons(s.Host.Vendor))}: list {reason} under exits: with its costs, or give default costs under costs:");
                }
            }
        }

        if (s.Vm.TimerHz == 0 && s.Exits.All(e => e.Occurrence is null))
        {
            var at = (YamlNode?)KeyNode(root, "exits") ?? root;
            throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column,
                "nothing would ever exit: give at least one reason a rate or an interval, or set vm.timer_hz");
        }
    }

    /// <summary>The reason's own path, else the path KVM usually takes for it.</summary>
    public static ExitPath ResolvedPath(Scenario s, ExitSpec e) =>
        e.Path ?? ExitReasonCatalog.Find(s.Host.Vendor, e.Reason)?.TypicalPath ?? ExitPath.Kernel;

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map?.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == key).Value;

    private static YamlNode? KeyNode(YamlMappingNode? map, string key) =>
        map?.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);
}
