using ExitSim.Units;

namespace ExitSim.Scenarios;

/// <summary>One setting where a scenario departs from its host generation's defaults.</summary>
public sealed record SettingDifference(string Setting, string Value, string Default)
{
    public override string ToString() => $"{Setting} {Value} (default {Default})";
}

/// <summary>
/// Where an effective scenario departs from <c>host.defaults</c>: what <c>exitsim run</c> prints, so a
/// "before" arm that switches off what hosts turn on today says so.
/// </summary>
public static class HostDefaultsDiff
{
    public static IReadOnlyList<SettingDifference> Of(Scenario s)
    {
        var d = HostDefaults.Find(s.Host.Defaults) ?? HostDefaults.Current;
        var list = new List<SettingDifference>();
        var defaultFeatures = d.Features(s.Host.Vendor);
        foreach (var f in defaultFeatures.Where(f => !s.Host.Features.Contains(f)))
            list.Add(new($"host.features {f}", "off", "on"));
        foreach (var f in s.Host.Features.Where(f => !defaultFeatures.Contains(f)))
            list.Add(new($"host.features {f}", "on", "off"));
        var idle = d.IdleStates(s.Host.Vendor);
        if (s.Host.IdleStates != idle)
            list.Add(new("host.cstates", s.Host.IdleStates.Name ?? "(a list)", idle.Name ?? "(a list)"));
        if (s.Host.TickHz != d.HostTickHz)
            list.Add(new("host.tick_hz", UnitFormat.Number(s.Host.TickHz), UnitFormat.Number(d.HostTickHz)));
        if (s.Vm.HaltPollNs != d.HaltPollNs)
            list.Add(new("vm.halt_poll", UnitFormat.Time(s.Vm.HaltPollNs), UnitFormat.Time(d.HaltPollNs)));
        // cpuidle-haltpoll loads only with KVM_HINTS_REALTIME (or force): off under every set of defaults.
        if (s.Vm.GuestHaltPollNs > 0)
            list.Add(new("vm.guest_halt_poll", UnitFormat.Time(s.Vm.GuestHaltPollNs), "0ns"));
        long defaultPage = MemoryBackings.PageBytes(d.Backing);
        if (s.Vm.Backing != d.Backing || s.Vm.PageSizeBytes != defaultPage)
            list.Add(new("vm.backing", $"{MemoryBackings.Name(s.Vm.Backing)} {UnitFormat.Bytes(s.Vm.PageSizeBytes)}", $"{MemoryBackings.Name(d.Backing)} {UnitFormat.Bytes(defaultPage)}"));
        foreach (var (device, key) in new[] { (s.Devices.Disk, "disk"), (s.Devices.Nic, "nic") })
        {
            if (device is null) continue;
            bool block = key == "disk";
            if (!Model.DeviceModels.IsVirtio(device.Model))
            {
                if (d.VirtioDevices) list.Add(new($"devices.{key}.model", Model.DeviceModels.Name(device.Model), block ? "virtio-blk" : "virtio-net"));
                continue;
            }
            int queues = block && d.BlockQueuePerVcpu ? s.Vm.Vcpus : 1;
            if (device.Queues != queues) list.Add(new($"devices.{key}.queues", device.Queues.ToString(), queues.ToString()));
            var dataplane = !block && d.NetVhost ? Dataplane.Vhost : Dataplane.Qemu;
            if (device.Dataplane != dataplane)
                list.Add(new($"devices.{key}.dataplane", ScenarioLoader.DataplaneName(device.Dataplane), ScenarioLoader.DataplaneName(dataplane)));
            if (block && device.PollMaxNs != d.IothreadPollMaxNs)
                list.Add(new($"devices.{key}.poll_max", UnitFormat.Time(device.PollMaxNs), UnitFormat.Time(d.IothreadPollMaxNs)));
        }
        return list;
    }
}
