using ExitSim.Model;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// vmexit: against the rest: it replaces a workload, ipi needs a second vCPU, and every exit it takes needs costs.
public static partial class ScenarioChecks
{
    private static void CheckVmexit(Scenario s, YamlMappingNode root, string file)
    {
        if (s.Vmexit is not { } vx) return;
        var at = (YamlNode?)KeyNode(root, "vmexit") ?? root;
        ScenarioException Error(string message) => new(file, (int)at.Start.Line, (int)at.Start.Column, message);
        if (s.Workload is not null) throw Error("a scenario runs either a vmexit.flat test or a workload, not both (remove one of vmexit: and workload:)");
        if (vx.Test == VmexitTest.Ipi && s.Vm.Vcpus < 2) throw Error("test: ipi sends to vCPU 1 and needs at least 2 vCPUs (vm: { vcpus: 2 })");
        if (s.Vm.Count > 1) throw Error("a vmexit.flat test runs in one VM (vm.count: 1)");
        foreach (var reason in VmexitExits.For(s.Host.Vendor, s.Interrupts.Apic, s.Host.Features, vx.Test).Reasons)
            if (!HasCosts(s, reason, userspace: false))
                throw Error($"test: {VmexitSpec.Name(vx.Test)} exits as {reason} on this host: list {reason} under exits: with its costs (or give default costs under costs:)");
    }
}
