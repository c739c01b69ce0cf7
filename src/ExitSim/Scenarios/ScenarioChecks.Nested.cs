using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// host.nested: L1's own exits to L0 are exits L0 handles in the kernel, charged at the default costs.
public static partial class ScenarioChecks
{
    private static void CheckNested(Scenario s, YamlMappingNode root, string file)
    {
        if (!s.Host.Nested.Enabled) return;
        if (MissingCosts(s, new PhaseCosts(), new PhaseCosts(), Model.ExitPath.Kernel) is not { Length: > 0 } missing) return;
        var at = (YamlNode?)KeyNode(Child(root, "host") as YamlMappingNode, "nested") ?? root;
        throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column,
            $"host.nested charges L1's own exits to L0 at the default costs, but costs: has no {string.Join(", ", missing)} (give costs: {{ save: 300cyc, handle: 500cyc, reenter: 300cyc }})");
    }
}
