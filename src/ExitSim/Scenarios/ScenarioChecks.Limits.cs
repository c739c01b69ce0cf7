using ExitSim.Units;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// The bounds of ScenarioLimits that need several sections: the model's size over all VMs, a clock that
// moves, and the work of the run.
public static partial class ScenarioChecks
{
    private static void CheckLimits(Scenario s, YamlMappingNode root, string file)
    {
        ScenarioException At(YamlNode? node, string message) =>
            new(file, (int)(node ?? root).Start.Line, (int)(node ?? root).Start.Column, message);
        var workloadNode = Child(root, "workload") as YamlMappingNode;
        var devicesNode = Child(root, "devices") as YamlMappingNode;
        int vms = s.Vm.Count;
        string perVms = vms == 1 ? "" : $" × {vms} VMs";

        if (s.Workload is { } w)
        {
            if ((long)w.Clients * vms > ScenarioLimits.MaxTotalClients)
                throw At(KeyNode(workloadNode, "clients"), $"{w.Clients} clients{perVms} is {(long)w.Clients * vms} operations in flight (at most {ScenarioLimits.MaxTotalClients:N0} over all VMs)");
            if (w.Kind == WorkloadKind.Closed)
            {
                double cycle = (w.Think?.Mean(s.Host.Ghz) ?? 0) + w.Operation.Compute.Mean(s.Host.Ghz);
                if (!(cycle >= ScenarioLimits.MinOperationCycleNs))
                    throw At(KeyNode(workloadNode, "think") ?? KeyNode(workloadNode, "op"),
                        $"each client's think time plus its operation's compute is {UnitFormat.Time(cycle)} on average, so simulated time would stand still (give think: or op.compute a mean of at least {UnitFormat.Time(ScenarioLimits.MinOperationCycleNs)}, e.g. think: exp(100us))");
            }
        }
        long queues = 0, channels = 0;
        foreach (var d in new[] { s.Devices.Disk, s.Devices.Nic })
            if (d is not null) { queues += (long)d.Queues * vms; channels += (long)d.Channels * vms; }
        if (queues > ScenarioLimits.MaxTotalQueues)
            throw At(KeyNode(devicesNode, "disk") ?? KeyNode(devicesNode, "nic"), $"the devices have {queues} queues over all VMs (at most {ScenarioLimits.MaxTotalQueues:N0}: lower devices.*.queues or vm.count)");
        if (channels > ScenarioLimits.MaxTotalChannels)
            throw At(KeyNode(devicesNode, "disk") ?? KeyNode(devicesNode, "nic"), $"the devices' back ends have {channels} channels over all VMs (at most {ScenarioLimits.MaxTotalChannels:N0}: lower devices.*.channels or vm.count)");
        if (s.Memory is { TouchBytesPerSecond: > 0 } m && m.TouchBytesPerSecond / s.Vm.PageSizeBytes > ScenarioLimits.MaxRatePerSecond)
            throw At(KeyNode(Child(root, "memory") as YamlMappingNode, "touch_rate"),
                $"memory.touch_rate gives {UnitFormat.Rate(m.TouchBytesPerSecond / s.Vm.PageSizeBytes)} first-touch faults per vCPU (at most {UnitFormat.Rate(ScenarioLimits.MaxRatePerSecond)}, one per nanosecond)");

        if (WorkEstimate.Problem(s) is var (key, message))
            throw At(KeyNode(root, key), message);
    }
}
