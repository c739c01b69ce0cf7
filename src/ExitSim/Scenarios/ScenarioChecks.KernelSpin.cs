using ExitSim.Model;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// vm.kernel_spin against exits: the PAUSE exits it causes need costs, and a measured PAUSE rate would count them twice.
public static partial class ScenarioChecks
{
    private static void CheckKernelSpin(Scenario s, YamlMappingNode root, string file)
    {
        if (s.Vm.KernelSpin is null) return;
        string pause = MechanismReasons.For(s.Host.Vendor, MechanismReasons.Pause);
        var exitsNode = Child(root, "exits") as YamlMappingNode;
        var spinNode = KeyNode(Child(root, "vm") as YamlMappingNode, "kernel_spin") ?? root;
        if (s.Exits.FirstOrDefault(e => e.Reason == pause) is { } spec && (spec.Occurs || spec.Paths.Count > 0))
        {
            var at = Child(Child(exitsNode, pause) as YamlMappingNode, "rate") ?? Child(Child(exitsNode, pause) as YamlMappingNode, "interval")
                     ?? KeyNode(exitsNode, pause) ?? root;
            throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column,
                $"{pause} has its own rate and vm.kernel_spin makes {pause} exits too (keep one: a measured rate, or the kernel's spin-waits)");
        }
        if (!HasCosts(s, pause, userspace: false))
            throw new ScenarioException(file, (int)spinNode.Start.Line, (int)spinNode.Start.Column,
                $"kernel spin-waits exit as {pause}: list {pause} under exits: with its costs (or give default costs under costs:)");
    }
}
