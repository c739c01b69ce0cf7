using ExitSim.Model;
using ExitSim.Units;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// host.cstates: a named table of the host cores' idle states, none, or a list of them.
public static partial class ScenarioLoader
{
    private static HostIdleStates ReadIdleStates(YamlSection host, YamlNode node)
    {
        string names = string.Join(", ", HostIdleStates.Named.Select(n => n.Name));
        if (node is YamlScalarNode sc)
        {
            string name = sc.Value ?? "";
            return HostIdleStates.Named.FirstOrDefault(n => n.Name == name)
                ?? throw host.Error(node, $"unknown idle-state table '{name}'" +
                    (Suggest.Closest(name, HostIdleStates.Named.Select(n => n.Name!)) is { } near ? $" (did you mean '{near}'?)" : $" (known: {names}, or a list of {{ name, exit_latency, target_residency }})"));
        }
        if (node is not YamlSequenceNode seq || seq.Children.Count == 0)
            throw host.Error(node, $"'host.cstates' must name a table ({names}) or list the states, e.g. [{{ name: C1, exit_latency: 1us, target_residency: 1us }}]");
        var states = new List<HostIdleState>();
        foreach (var item in seq)
        {
            var s = Map(host, item, "cstates");
            string name = Scalar(s, s.Required("name", "C6"), "name").Value ?? "";
            if (name.Length == 0 || name.Any(char.IsControl)) throw s.Error(item, "a C-state needs a name (e.g. name: C6)");
            var exitNode = s.Required("exit_latency", "170us");
            double exit = Time(s, exitNode, "exit_latency", allowZero: true, allowCycles: false).Value;
            var resNode = s.Required("target_residency", "600us");
            double residency = Time(s, resNode, "target_residency", allowZero: true, allowCycles: false).Value;
            s.RejectUnknownKeys();
            if (exit > ScenarioLimits.MaxIdleExitLatencyNs)
                throw s.Error(exitNode, $"'exit_latency' of {name} is {UnitFormat.Time(exit)} (at most {UnitFormat.Time(ScenarioLimits.MaxIdleExitLatencyNs)}; intel_idle's deepest package states are ≈1 ms)");
            if (states.Count > 0 && residency < states[^1].TargetResidencyNs)
                throw s.Error(resNode, $"'target_residency' of {name} is shorter than that of {states[^1].Name} (list the states shallowest first, as cpuidle does)");
            if (states.Any(x => x.Name == name)) throw s.Error(item, $"C-state '{name}' is listed twice (list each once)");
            states.Add(new HostIdleState(name, exit, residency));
        }
        return new HostIdleStates(null, states.ToEquatableArray());
    }
}
