using System.Text;
using ExitSim.Distributions;
using ExitSim.Units;

namespace ExitSim.Scenarios;

/// <summary>
/// Writes a scenario back as YAML that <see cref="ScenarioLoader"/> reads to an equal scenario
/// (numbers in the shortest form that round-trips exactly). Used by calibrate and by tests.
/// </summary>
public static class ScenarioWriter
{
    /// <summary>
    /// Writes the scenario; <paramref name="comment"/> may return a comment for a line, by its path
    /// (e.g. <c>host.ghz</c>, <c>costs.save</c>, <c>vm.vcpus</c>, <c>IO_INSTRUCTION.rate</c>, <c>IO_INSTRUCTION.handle</c>).
    /// </summary>
    public static string Write(Scenario s, Func<string, string?>? comment = null)
    {
        var w = new StringBuilder();
        void Line(int indent, string key, string value, string path)
        {
            w.Append(' ', indent * 2).Append(key).Append(": ").Append(value);
            if (comment?.Invoke(path) is { } note) w.Append("  # ").Append(note.Replace('\n', ' '));
            w.Append('\n');
        }
        void Head(int indent, string key, string path)
        {
            w.Append(' ', indent * 2).Append(key).Append(':');
            if (comment?.Invoke(path) is { } note) w.Append("  # ").Append(note.Replace('\n', ' '));
            w.Append('\n');
        }

        Line(0, "name", Text(s.Name), "name");
        if (s.Description is not null) Line(0, "description", Text(s.Description), "description");
        Head(0, "host", "host");
        Line(1, "vendor", s.Host.Vendor.ToString().ToLowerInvariant(), "host.vendor");
        Line(1, "ghz", UnitFormat.Number(s.Host.Ghz), "host.ghz");
        Line(1, "cores", s.Host.Cores.ToString(), "host.cores");
        Line(1, "tick_hz", UnitFormat.Number(s.Host.TickHz), "host.tick_hz");
        if (s.Host.TimesliceNs != HostSpec.DefaultTimesliceNs) Line(1, "timeslice", UnitFormat.TimeExact(s.Host.TimesliceNs), "host.timeslice");
        if (s.Host.Defaults != HostDefaults.Current.Name) Line(1, "defaults", s.Host.Defaults, "host.defaults");
        // Always written: a scenario without a features: list gets its defaults' list.
        Line(1, "features", "[" + string.Join(", ", s.Host.Features) + "]", "host.features");
        // Always written: a scenario without cstates: gets its defaults' table.
        var cs = s.Host.IdleStates;
        Line(1, "cstates", cs.Name ?? "[" + string.Join(", ", cs.States.Select(c => $"{{ name: {Text(c.Name)}, exit_latency: {UnitFormat.TimeExact(c.ExitLatencyNs)}, target_residency: {UnitFormat.TimeExact(c.TargetResidencyNs)} }}")) + "]", "host.cstates");
        if (s.Host.FastpathSaving != HostSpec.DefaultFastpathSaving) Line(1, "fastpath_saving", s.Host.FastpathSaving.ToString(), "host.fastpath_saving");
        if (s.Host.IpiSend != HostSpec.DefaultIpiSend) Line(1, "ipi_send", s.Host.IpiSend.ToString(), "host.ipi_send");
        if (s.Host.TimerArm != HostSpec.DefaultTimerArm) Line(1, "timer_arm", s.Host.TimerArm.ToString(), "host.timer_arm");
        if (s.Host.TimerInject != HostSpec.DefaultTimerInject) Line(1, "timer_inject", s.Host.TimerInject.ToString(), "host.timer_inject");
        if (s.Host.IpiNotify != HostSpec.DefaultIpiNotify) Line(1, "ipi_notify", s.Host.IpiNotify.ToString(), "host.ipi_notify");
        if (s.Host.IpiWake != HostSpec.DefaultIpiWake) Line(1, "ipi_wake", s.Host.IpiWake.ToString(), "host.ipi_wake");
        if (s.Host.Model is not null) Line(1, "model", Text(s.Host.Model), "host.model");
        if (s.Host.Profile is not null) Line(1, "profile", Text(s.Host.Profile.File), "host.profile");
        if (s.Host.Nested != new NestedSpec()) WriteNested(s.Host.Nested, Line, Head);
        if (HasAny(s.Costs))
        {
            Head(0, "costs", "costs");
            WriteCosts(s.Costs, 1, Line, "costs");
        }
        Head(0, "vm", "vm");
        Line(1, "count", s.Vm.Count.ToString(), "vm.count");
        Line(1, "vcpus", s.Vm.Vcpus.ToString(), "vm.vcpus");
        Line(1, "memory", UnitFormat.Bytes(s.Vm.MemoryBytes), "vm.memory");
        Line(1, "page_size", UnitFormat.Bytes(s.Vm.PageSizeBytes), "vm.page_size");
        Line(1, "backing", MemoryBackings.Name(s.Vm.Backing), "vm.backing");
        Line(1, "qemu_threads", s.Vm.QemuThreads == QemuThreadMode.PerVm ? "per-vm" : "per-vcpu", "vm.qemu_threads");
        Line(1, "timer_hz", UnitFormat.Number(s.Vm.TimerHz), "vm.timer_hz");
        Line(1, "halt_poll", UnitFormat.TimeExact(s.Vm.HaltPollNs), "vm.halt_poll");
        Line(1, "halt_poll_adaptive", s.Vm.HaltPollAdaptive ? "true" : "false", "vm.halt_poll_adaptive");
        if (s.Vm.NohzFull) Line(1, "nohz_full", "true", "vm.nohz_full");
        if (s.Vm.GuestHaltPollNs > 0) Line(1, "guest_halt_poll", UnitFormat.TimeExact(s.Vm.GuestHaltPollNs), "vm.guest_halt_poll");
        if (s.Vm.KernelSpin is { } spin)
        {
            Head(1, "kernel_spin", "vm.kernel_spin");
            Line(2, "rate", UnitFormat.RateExact(spin.Rate), "vm.kernel_spin.rate");
            if (spin.Wait is { } wait) Line(2, "wait", Text(wait.Format()), "vm.kernel_spin.wait");
            if (spin.Hold is { } hold) Line(2, "hold", Text(hold.Format()), "vm.kernel_spin.hold");
            if (spin.Loop is { } loop) Line(2, "loop", loop.ToString(), "vm.kernel_spin.loop");
        }
        if (s.Vm.TlbShootdowns is { } tsd)
        {
            Head(1, "tlb_shootdowns", "vm.tlb_shootdowns");
            Line(2, "rate", UnitFormat.RateExact(tsd.Rate), "vm.tlb_shootdowns.rate");
            Line(2, "ack", UnitFormat.TimeExact(tsd.AckNs), "vm.tlb_shootdowns.ack");
        }
        WriteWorkload(s, Line, Head);
        if (s.Vmexit is { } vx)
        {
            Head(0, "vmexit", "vmexit");
            Line(1, "test", VmexitSpec.Name(vx.Test), "vmexit.test");
            Line(1, "loop", Text(vx.Loop.Format()), "vmexit.loop");
            if (vx.Handler is { } h) Line(1, "handler", Text(h.Format()), "vmexit.handler");
            if (vx.Delivery is { } d) Line(1, "delivery", Text(d.Format()), "vmexit.delivery");
            if (vx.Ack is { } a) Line(1, "ack", Text(a.Format()), "vmexit.ack");
            if (vx.Test == VmexitTest.Tscdeadline) Line(1, "deadline", vx.Deadline.ToString(), "vmexit.deadline");
        }
        Head(0, "exits", "exits");
        foreach (var e in s.Exits)
        {
            Head(1, Text(e.Reason), e.Reason);
            if (e.Occurrence is { } o) WriteOccurrence(o, 2, Line, e.Reason);
            if (e.Path is { } p) Line(2, "path", PathName(p), $"{e.Reason}.path");
            WriteCosts(e.Costs, 2, Line, e.Reason);
            if (e.Ioeventfd is { } io) Line(2, "ioeventfd", Text(io.Format()), $"{e.Reason}.ioeventfd");
            if (e.Coalesced is { } co) Line(2, "coalesced", Text(co.Format()), $"{e.Reason}.coalesced");
            if (e.Paths.Count > 0)
            {
                Head(2, "paths", $"{e.Reason}.paths");
                foreach (var path in e.Paths)
                {
                    string key = $"{e.Reason}.paths.{PathName(path.Path)}";
                    Head(3, PathName(path.Path), key);
                    WriteOccurrence(path.Occurrence, 4, Line, key);
                    WriteCosts(path.Costs, 4, Line, key);
                }
            }
        }
        Head(0, "run", "run");
        Line(1, "duration", UnitFormat.TimeExact(s.Run.Duration.Value), "run.duration");
        Line(1, "warmup", UnitFormat.TimeExact(s.Run.Warmup.Value), "run.warmup");
        Line(1, "replications", s.Run.Replications.ToString(), "run.replications");
        Line(1, "seed", s.Run.Seed.ToString(), "run.seed");
        Head(0, "kpis", "kpis");
        Line(1, "exit_rate", UnitFormat.RateExact(s.Kpis.MaxExitsPerSecond), "kpis.exit_rate");
        Line(1, "mean_exit_latency", UnitFormat.TimeExact(s.Kpis.MaxMeanExitLatencyNs), "kpis.mean_exit_latency");
        Line(1, "io_exit_share", UnitFormat.Number(s.Kpis.MaxIoExitShare), "kpis.io_exit_share");
        Line(1, "ept_violation_share", UnitFormat.Number(s.Kpis.MaxEptViolationShare), "kpis.ept_violation_share");
        return w.ToString();
    }

    private static void WriteWorkload(Scenario s, Action<int, string, string, string> line, Action<int, string, string> head)
    {
        if (s.Workload is { } w)
        {
            head(0, "workload", "workload");
            line(1, "kind", w.Kind == WorkloadKind.Closed ? "closed" : "open", "workload.kind");
            if (w.Kind == WorkloadKind.Closed) line(1, "clients", w.Clients.ToString(), "workload.clients");
            if (w.Think is { } t) line(1, "think", Text(t.Format()), "workload.think");
            if (w.Kind == WorkloadKind.Open) line(1, "rate", UnitFormat.RateExact(w.Rate), "workload.rate");
            if (w.PingPong) line(1, "ping_pong", "true", "workload.ping_pong");
            head(1, "op", "workload.op");
            var op = w.Operation;
            line(2, "name", Text(op.Name), "workload.op.name");
            line(2, "compute", Text(op.Compute.Format()), "workload.op.compute");
            line(2, "disk_io", UnitFormat.Number(op.DiskIo), "workload.op.disk_io");
            line(2, "net_rx", op.NetRx.ToString(), "workload.op.net_rx");
            line(2, "net_tx", op.NetTx.ToString(), "workload.op.net_tx");
        }
        if (s.Devices.Disk is not null || s.Devices.Nic is not null)
        {
            head(0, "devices", "devices");
            foreach (var (d, key) in new[] { (s.Devices.Disk, "disk"), (s.Devices.Nic, "nic") })
            {
                if (d is null) continue;
                head(1, key, $"devices.{key}");
                line(2, "model", Model.DeviceModels.Name(d.Model), $"devices.{key}.model");
                line(2, "queues", d.Queues.ToString(), $"devices.{key}.queues");
                if (d.Depth is { } depth) line(2, "depth", depth.ToString(), $"devices.{key}.depth");
                if (!Model.DeviceModels.Passthrough(d.Model)) line(2, "dataplane", ScenarioLoader.DataplaneName(d.Dataplane), $"devices.{key}.dataplane");
                if (d.Iothreads > 1) line(2, "iothreads", d.Iothreads.ToString(), $"devices.{key}.iothreads");
                if (key == "disk") line(2, "poll_max", UnitFormat.TimeExact(d.PollMaxNs), $"devices.{key}.poll_max");
                if (d.Aio != AioEngine.Unmodelled) line(2, "aio", DeviceSpecs.AioName(d.Aio), $"devices.{key}.aio");
                if (d.Complete is { } cp) line(2, "complete", Text(cp.Format()), $"devices.{key}.complete");
                if (d.Qemu is { } q) line(2, "qemu", Text(q.Format()), $"devices.{key}.qemu");
                if (d.Vhost is { } v) line(2, "vhost", Text(v.Format()), $"devices.{key}.vhost");
                if (d.Driver == NicDriver.Pmd) line(2, "driver", "pmd", $"devices.{key}.driver");
                if (d.Backend is { } b) line(2, "backend", Text(b.Format()), $"devices.{key}.backend");
                if (d.Backend is not null) line(2, "channels", d.Channels.ToString(), $"devices.{key}.channels");
            }
        }
        var i = s.Interrupts;
        if (i != new InterruptSpec() && s.Workload is null)
        {
            // Without a workload only a vmexit: test reads interrupts:, and only its APIC mode.
            head(0, "interrupts", "interrupts");
            line(1, "apic", i.Apic == ApicMode.X2apic ? "x2apic" : "xapic", "interrupts.apic");
        }
        else if (i != new InterruptSpec())
        {
            head(0, "interrupts", "interrupts");
            if (i.Handler is { } h) line(1, "handler", Text(h.Format()), "interrupts.handler");
            line(1, "masked", UnitFormat.Number(i.Masked), "interrupts.masked");
            line(1, "apic", i.Apic == ApicMode.X2apic ? "x2apic" : "xapic", "interrupts.apic");
            if (i.Wake is { } wk) line(1, "wake", Text(wk.Format()), "interrupts.wake");
        }
        if (s.Memory is { } m)
        {
            head(0, "memory", "memory");
            line(1, "touch_rate", UnitFormat.Bytes((long)m.TouchBytesPerSecond) + "/s", "memory.touch_rate");
            line(1, "tlb_overhead", UnitFormat.Number(m.TlbOverhead), "memory.tlb_overhead");
            if (m.ZeroBytesPerSecond > 0) line(1, "zero_rate", UnitFormat.Bytes((long)m.ZeroBytesPerSecond) + "/s", "memory.zero_rate");
        }
        if (s.Optimisations.Count > 0) line(0, "optimisations", "[" + string.Join(", ", s.Optimisations) + "]", "optimisations");
    }

    private static bool HasAny(PhaseCosts c) => c.Save is not null || c.Handle is not null || c.Emulate is not null || c.Reenter is not null;

    private static void WriteOccurrence(Occurrence o, int indent, Action<int, string, string, string> line, string owner)
    {
        if (o.Rate is { } r) line(indent, "rate", UnitFormat.RateExact(r), $"{owner}.rate");
        if (o.Interval is { } i) line(indent, "interval", Text(i.Format()), $"{owner}.interval");
        line(indent, "clock", o.Clock == OccurrenceClock.Guest ? "guest" : "wall", $"{owner}.clock");
    }

    private static string PathName(Model.ExitPath p) => p == Model.ExitPath.Kernel ? "kernel" : "userspace";

    private static void WriteCosts(PhaseCosts c, int indent, Action<int, string, string, string> line, string owner)
    {
        void One(string key, Distribution? d)
        {
            if (d is not null) line(indent, key, Text(d.Format()), $"{owner}.{key}");
        }
        One("save", c.Save);
        One("handle", c.Handle);
        One("emulate", c.Emulate);
        One("reenter", c.Reenter);
    }

    /// <summary>A YAML scalar, double-quoted when plain style would be misread.</summary>
    public static string Text(string value)
    {
        bool plain = value.Length > 0 && !value.Contains(": ") && !value.Contains(" #") && !value.EndsWith(':') &&
                     "!&*-?{}[],#|>@`\"'%".IndexOf(value[0]) < 0 && value.Trim() == value &&
                     value.All(ch => !char.IsControl(ch)) &&
                     !(value is "null" or "~" or "true" or "false" or "yes" or "no");
        if (plain) return value;
        var sb = new StringBuilder("\"");
        foreach (char ch in value)
        {
            sb.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(ch) => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
    /// <summary>host.nested, every key written (a parameter set may state the costs with l1: none).</summary>
    private static void WriteNested(NestedSpec n, Action<int, string, string, string> line, Action<int, string, string> head)
    {
        head(1, "nested", "host.nested");
        line(2, "l1", n.L1, "host.nested.l1");
        line(2, "shadow_vmcs", n.ShadowVmcs ? "true" : "false", "host.nested.shadow_vmcs");
        line(2, "vmexit", Text(n.Vmexit.Format()), "host.nested.vmexit");
        line(2, "vmentry", Text(n.Vmentry.Format()), "host.nested.vmentry");
        line(2, "vmreads", n.Vmreads.ToString(), "host.nested.vmreads");
        line(2, "vmwrites", n.Vmwrites.ToString(), "host.nested.vmwrites");
        line(2, "l1_exits", n.L1Exits.ToString(), "host.nested.l1_exits");
        line(2, "userspace_exits", n.UserspaceExits.ToString(), "host.nested.userspace_exits");
        line(2, "vcpu_reload_exits", n.VcpuReloadExits.ToString(), "host.nested.vcpu_reload_exits");
    }
}
