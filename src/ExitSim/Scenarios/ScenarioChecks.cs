using ExitSim.Model;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

/// <summary>Checks that need several sections at once (e.g. a reason's cost may come from costs:).</summary>
public static partial class ScenarioChecks
{
    internal static void Check(Scenario s, YamlMappingNode root, string file)
    {
        var exitsNode = Child(root, "exits") as YamlMappingNode;
        foreach (var e in s.Exits)
        {
            var at = KeyNode(exitsNode, e.Reason) ?? root;
            ScenarioException Fail(string message) => new(file, (int)at.Start.Line, (int)at.Start.Column, message);
            if (e.Paths.Count > 0)
            {
                var pathsNode = Child(Child(exitsNode, e.Reason) as YamlMappingNode, "paths") as YamlMappingNode;
                foreach (var p in e.Paths)
                {
                    string name = p.Path == ExitPath.Kernel ? "kernel" : "userspace";
                    var pathAt = KeyNode(pathsNode, name) ?? at;
                    if (MissingCosts(s, e.Costs, p.Costs, p.Path) is { Length: > 0 } gaps)
                        throw new ScenarioException(file, (int)pathAt.Start.Line, (int)pathAt.Start.Column,
                            $"the {name} path of {e.Reason} has no {string.Join(", ", gaps)} cost (give it on the path, on the reason, or as a default under costs:)");
                }
                continue;
            }
            var path = ResolvedPath(s, e);
            if (MissingCosts(s, e.Costs, new PhaseCosts(), path) is { Length: > 0 } missing)
                throw Fail($"{e.Reason} has no {string.Join(", ", missing)} cost (give it here or as a default under costs:)");
            if (path == ExitPath.Kernel && e.Costs.Emulate is not null)
                throw Fail($"{e.Reason} has an emulate cost but its path is kernel (emulate is QEMU time: set path: userspace, or drop emulate)");
        }

        if (s.Vm.TimerHz > 0)
        {
            var tick = TimerTick.Reasons(s.Host.Vendor, s.Host.Features).OfType<string>().ToArray();
            foreach (var reason in tick)
            {
                if (!HasCosts(s, reason, userspace: false))
                {
                    var at = KeyNode(Child(root, "vm") as YamlMappingNode, "timer_hz") ?? root;
                    throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column,
                        $"timer ticks exit as {string.Join(" + ", tick)}: list {reason} under exits: with its costs (or give default costs under costs:)");
                }
            }
        }

        if (s.Vm.NohzFull && (s.Vm.TimerHz == 0 || s.Workload is null))
        {
            var at = KeyNode(Child(root, "vm") as YamlMappingNode, "nohz_full") ?? root;
            throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column, s.Vm.TimerHz == 0
                ? "vm.nohz_full stops a ticking guest's tick, but vm.timer_hz is 0 (give the guest's CONFIG_HZ, e.g. timer_hz: 250)"
                : "vm.nohz_full stops the tick while a vCPU runs one task: it needs a workload: section (with exits given as rates there are no tasks)");
        }
        CheckWorkload(s, root, file);
        CheckKernelSpin(s, root, file);
        CheckNested(s, root, file);
        CheckVmexit(s, root, file);

        if (s.Vm.TimerHz == 0 && s.Workload is null && s.Vmexit is null && s.Vm.KernelSpin is null && s.Exits.All(e => !e.Occurs))
        {
            var at = (YamlNode?)KeyNode(root, "exits") ?? root;
            throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column,
                "nothing would ever exit (give at least one reason a rate or an interval, or set vm.timer_hz)");
        }
        CheckLimits(s, root, file);
        if (DedicatedCores.Needing(s) is { } needs && DedicatedCores.Overcommitted(s) is { } over)
        {
            var at = (YamlNode?)KeyNode(Child(root, "host") as YamlMappingNode, "cores") ?? root;
            throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column,
                $"{needs} is meant for vCPUs on dedicated cores, but the host is overcommitted ({over}): give host.cores enough for every vCPU and host thread");
        }
        if (DedicatedCores.NotIntercepted(s) is { } intercepted)
        {
            var at = (YamlNode?)KeyNode(Child(root, "exits") as YamlMappingNode, intercepted) ?? root;
            throw new ScenarioException(file, (int)at.Start.Line, (int)at.Start.Column,
                $"disable-exits stops intercepting {intercepted}: it cannot have a rate or an interval here (list it for its costs only, or drop disable-exits)");
        }

        // The "after" arm must change something: what the baseline already has cannot be enabled.
        if (Child(root, "optimisations") is YamlSequenceNode optimisations)
            foreach (var item in optimisations)
                if (item is YamlScalarNode { Value: { } name } && Optimisations.OptimisationCatalog.AlreadyOn(s, name) is { } on)
                    throw new ScenarioException(file, (int)item.Start.Line, (int)item.Start.Column, on);
    }

    private static void CheckWorkload(Scenario s, YamlMappingNode root, string file)
    {
        ScenarioException At(YamlNode? node, string message) =>
            new(file, (int)(node ?? root).Start.Line, (int)(node ?? root).Start.Column, message);
        var workloadNode = Child(root, "workload") as YamlMappingNode;
        var exitsNode = Child(root, "exits") as YamlMappingNode;
        if (s.Workload is not { } w)
        {
            foreach (var key in new[] { "devices", "interrupts", "memory" })
                if (KeyNode(root, key) is { } k && Child(root, key) is YamlMappingNode { Children.Count: > 0 } section &&
                    !(key == "interrupts" && s.Vmexit is not null && section.Children.All(c => c.Key is YamlScalarNode { Value: "apic" })))
                    throw At(k, $"'{key}' describes the workload layer, which needs a workload: section (kind, clients or rate, op)" + (key == "interrupts" && s.Vmexit is not null ? "; a vmexit: test reads only interrupts.apic" : ""));
            return;
        }
        var op = Child(workloadNode, "op") as YamlMappingNode;
        if (w.Operation.DiskIo > 0 && s.Devices.Disk is null)
            throw At(KeyNode(op, "disk_io"), "operations do disk I/O but there is no devices.disk (e.g. devices: { disk: { model: virtio-blk, backend: lognormal(mean=100us, cv=0.8), qemu: 5us } })");
        if (w.Operation.NetRx + w.Operation.NetTx > 0 && s.Devices.Nic is null)
            throw At(KeyNode(op, w.Operation.NetRx > 0 ? "net_rx" : "net_tx"), "operations send or receive packets but there is no devices.nic (e.g. devices: { nic: { model: virtio-net, qemu: 3us } })");
        if (w.Kind == WorkloadKind.Closed && w.Think is null && w.Operation.NetRx > 0)
            throw At(KeyNode(workloadNode, "clients"), "a closed workload whose requests arrive over the network needs the clients' think time (think: exp(1ms), or 0ns for back-to-back requests)");

        if (PmdCoresProblem(s) is { } pmd) throw At(KeyNode(Child(root, "devices") as YamlMappingNode, "nic") ?? root, pmd);

        var vendor = s.Host.Vendor;
        var halt = MechanismReasons.For(vendor, MechanismReasons.Halt);
        if (s.Exits.FirstOrDefault(e => e.Reason == halt && e.Occurs) is { } h)
            throw At(KeyNode(exitsNode, h.Reason), $"with a workload, {halt} exits come from idle vCPUs: drop its rate (keep its costs)");
        var fault = MechanismReasons.For(vendor, MechanismReasons.PageFault);
        if (s.Memory is { TouchBytesPerSecond: > 0 } && s.Exits.FirstOrDefault(e => e.Reason == fault && e.Occurs) is { } f)
            throw At(KeyNode(exitsNode, f.Reason), $"{fault} exits come from memory.touch_rate here: drop its rate (keep its costs)");

        // Every reason a mechanism produces needs its costs.
        var needed = new List<(string Reason, string Why, bool Userspace)>
        {
            (MechanismReasons.For(vendor, MechanismReasons.ExternalInterrupt), "interrupts to a running vCPU", false),
            (halt, "idle vCPUs", false),
        };
        bool level = new[] { s.Devices.Disk, s.Devices.Nic }.Any(d => d is not null && DeviceModels.LevelTriggered(d.Model));
        foreach (var apic in ApicExits.For(vendor, s.Interrupts.Apic, s.Host.Features).Reasons(level)) needed.Add((apic, "EOIs and IPIs", false));
        if (s.Interrupts.Masked > 0) needed.Add((MechanismReasons.For(vendor, MechanismReasons.InterruptWindow), "interrupts.masked", false));
        if (s.Memory is { TouchBytesPerSecond: > 0 }) needed.Add((fault, "memory.touch_rate", false));
        foreach (var d in new[] { s.Devices.Disk, s.Devices.Nic })
            if (d is not null && DeviceModels.Emulated(d.Model))
                needed.Add((MechanismReasons.For(vendor, DeviceModels.RegisterReason(d.Model)), $"the emulated {DeviceModels.Name(d.Model)}'s registers", true));
        foreach (var (reason, why, userspace) in needed)
        {
            if (!HasCosts(s, reason, userspace))
                throw At(KeyNode(root, "workload"), $"{why} exit as {reason}, which has no costs (list {reason} under exits: with its costs{(userspace ? ", including emulate: QEMU's time per access" : "")})");
        }
        if (MissingIoeventfd(s) is { } notify)
            throw At(KeyNode(exitsNode, notify) ?? KeyNode(root, "devices"), IoeventfdHint(notify));
        if (s.Interrupts.Handler is null)
            throw At(KeyNode(root, "workload"), "the workload needs the guest's time per interrupt handler (interrupts: { handler: 2us })");
        if (s.Interrupts.Wake is null)
            throw At(KeyNode(root, "workload"), "the workload needs the wake-up time of a blocked vCPU (interrupts: { wake: lognormal(mean=5us, cv=0.5) }) (docs/kvm-facts.md §3.4)");
    }

    /// <summary>The phases an exit on <paramref name="path"/> lacks, looking in its path's, its reason's and the default costs.</summary>
    private static string[] MissingCosts(Scenario s, PhaseCosts reason, PhaseCosts path, ExitPath on) => new[]
    {
        (path.Save ?? reason.Save ?? s.Costs.Save) is null ? "save" : null,
        (path.Handle ?? reason.Handle ?? s.Costs.Handle) is null ? "handle" : null,
        (path.Reenter ?? reason.Reenter ?? s.Costs.Reenter) is null ? "reenter" : null,
        on == ExitPath.Userspace && (path.Emulate ?? reason.Emulate ?? s.Costs.Emulate) is null ? "emulate" : null,
    }.OfType<string>().ToArray();

    /// <summary>Whether an exit of <paramref name="reason"/> has every phase cost, from its own entry or from costs:.</summary>
    private static bool HasCosts(Scenario s, string reason, bool userspace) =>
        MissingCosts(s, s.Exits.FirstOrDefault(x => x.Reason == reason)?.Costs ?? new PhaseCosts(), new PhaseCosts(),
            userspace ? ExitPath.Userspace : ExitPath.Kernel).Length == 0;

    /// <summary>The notify reason of a virtio device that lacks its ioeventfd cost, or null.</summary>
    /// <summary>Why the vhost-user back end's polling threads (one core each, per queue and VM) leave no core for the rest, or null.</summary>
    public static string? PmdCoresProblem(Scenario s)
    {
        if (s.Devices.Nic is not { Dataplane: Dataplane.VhostUser } n) return null;
        int pmds = n.Queues * s.Vm.Count;
        return pmds < s.Host.Cores ? null
            : $"dataplane: vhost-user polls each of the NIC's {n.Queues} queue(s) of {s.Vm.Count} VM(s) on a core of its own ({pmds} cores), but host.cores is {s.Host.Cores} (give more cores or fewer queues)";
    }

    public static string? MissingIoeventfd(Scenario s)
    {
        if (!new[] { s.Devices.Disk, s.Devices.Nic }.Any(d => d is not null && DeviceModels.IsVirtio(d.Model))) return null;
        string notify = MechanismReasons.For(s.Host.Vendor, "EPT_MISCONFIG");
        return s.Exits.FirstOrDefault(e => e.Reason == notify)?.Ioeventfd is null ? notify : null;
    }

    public static string IoeventfdHint(string notify) =>
        $"virtio notifies exit as {notify} claimed by an ioeventfd: give exits.{notify}.ioeventfd, its handle cost in KVM (e.g. ioeventfd: lognormal(mean=1200cyc, cv=0.3))";

    /// <summary>The reason's own path, else the path KVM usually takes for it.</summary>
    public static ExitPath ResolvedPath(Scenario s, ExitSpec e) =>
        e.Path ?? ExitReasonCatalog.Find(s.Host.Vendor, e.Reason)?.TypicalPath ?? ExitPath.Kernel;

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map?.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == key).Value;

    private static YamlNode? KeyNode(YamlMappingNode? map, string key) =>
        map?.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);
}
