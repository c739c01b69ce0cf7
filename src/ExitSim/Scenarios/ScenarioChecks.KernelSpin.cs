using ExitSim.Model;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// vm.kernel_spin against exits: the PAUSE exits it causes need costs, and a measured PAUSE rate would count them twice.
public static partial class ScenarioChecks
{
    /// <summary>
    /// Why pv-spinlock cannot act on the scenario, or null: it changes how waiters for vm.kernel_spin's lock wait (hold), and they
    /// halt through the idle path (HLT, halt polling, wake-up), which the model has with a workload.
    /// </summary>
    public static string? PvSpinlockProblem(Scenario s) =>
        s.Vm.KernelSpin?.Hold is null ? "pv-spinlock changes how waiters for the guest kernel's spinlock wait: it needs vm.kernel_spin with hold (e.g. kernel_spin: { rate: 20k/s, hold: \"exp(2us)\" })"
        : s.Workload is null ? "pv-spinlock halts a lock waiter through HLT, whose halt polling and wake-up the model has with a workload: add a workload: section"
        : null;

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
        if (s.Host.Features.Contains("pv-spinlock") && PvSpinlockProblem(s) is { } pv)
            throw new ScenarioException(file, (int)spinNode.Start.Line, (int)spinNode.Start.Column, pv);
        string vmcall = MechanismReasons.For(s.Host.Vendor, "VMCALL");
        if (s.Host.Features.Contains("pv-spinlock") && !HasCosts(s, vmcall, userspace: false))
            throw new ScenarioException(file, (int)spinNode.Start.Line, (int)spinNode.Start.Column,
                $"pv-spinlock kicks a halted lock waiter with a {vmcall} exit: list {vmcall} under exits: with its costs (or give default costs under costs:)");
        if (!HasCosts(s, pause, userspace: false))
            throw new ScenarioException(file, (int)spinNode.Start.Line, (int)spinNode.Start.Column,
                $"kernel spin-waits exit as {pause}: list {pause} under exits: with its costs (or give default costs under costs:)");
    }
}
