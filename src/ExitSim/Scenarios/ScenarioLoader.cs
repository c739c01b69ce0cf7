using System.Globalization;
using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Units;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

/// <summary>
/// Reads a scenario YAML file into a <see cref="Scenario"/>, checking every key, type, unit and
/// range. Any problem is a <see cref="ScenarioException"/> located at file:line:col.
/// </summary>
public static partial class ScenarioLoader
{
    public static Scenario LoadFile(string path) => Parse(ReadFile(path), path);

    /// <summary>A scenario file's text: a regular file of at most <see cref="ScenarioLimits.MaxFileBytes"/>, else a located refusal.</summary>
    public static string ReadFile(string path)
    {
        if (Directory.Exists(path))
            throw new ScenarioException(path, 1, 1, "is a folder, not a scenario file (give one .yaml file; exitsim validate checks every *.yaml in a folder)");
        if (BoundedFile.NotAFile(path) is { } kind)
            throw new ScenarioException(path, 1, 1, $"is {kind}, not a scenario file (give a regular .yaml file: a FIFO waits for a writer, a device never ends)");
        string? text;
        try { text = BoundedFile.ReadText(path, ScenarioLimits.MaxFileBytes); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException(path, 1, 1, System.IO.File.Exists(path)
                ? $"cannot read the scenario ({e.Message.TrimEnd('.')})" : "no such file" + NearbyFile(path));
        }
        if (text is null)
            throw new ScenarioException(path, 1, 1, $"the file is larger than {BoundedFile.Describe(ScenarioLimits.MaxFileBytes)} (is it a scenario? the shipped ones are a few KiB)");
        return text;
    }

    /// <summary>" (did you mean …?)" for a mistyped scenario path, from the files next to where it points.</summary>
    private static string NearbyFile(string path)
    {
        string dir = System.IO.Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
        if (!Directory.Exists(dir)) return " (check the path)";
        var candidates = Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".yaml") || f.EndsWith(".yml")).Select(System.IO.Path.GetFileName).OfType<string>();
        return Suggest.Closest(System.IO.Path.GetFileName(path), candidates) is { } near
            ? $" (did you mean {System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? "", near)}?)" : " (check the path)";
    }

    public static Scenario Parse(string text, string file = "<scenario>")
    {
        var root = LoadRoot(text, file);
        var top = new YamlSection(root, file, "");
        var host = ReadHost(top, BaseDir(file));
        var defaults = HostDefaults.Find(host.Defaults)!;
        var vm = ReadVm(Map(top, top.Required("vm", "{ vcpus: 4 }"), "vm"), defaults, BaseDir(file), host.Ghz);
        var scenario = new Scenario
        {
            Name = Name(top) ?? System.IO.Path.GetFileNameWithoutExtension(file),
            Description = Str(top, "description"),
            Host = host,
            Costs = top["costs"] is { } c && !YamlSection.IsNull(c) ? ReadCosts(Map(top, c, "costs"), BaseDir(file), allowPath: false).Costs : new PhaseCosts(),
            Vm = vm,
            Exits = ReadExits(top, host, BaseDir(file)),
            Run = top["run"] is { } r && !YamlSection.IsNull(r) ? ReadRun(Map(top, r, "run")) : new RunSpec(),
            Kpis = top["kpis"] is { } k && !YamlSection.IsNull(k) ? ReadKpis(Map(top, k, "kpis")) : new KpiTargets(),
            Workload = top["workload"] is { } w && !YamlSection.IsNull(w) ? ReadWorkload(Map(top, w, "workload"), BaseDir(file)) : null,
            Vmexit = top["vmexit"] is { } vx && !YamlSection.IsNull(vx) ? ReadVmexit(Map(top, vx, "vmexit"), BaseDir(file)) : null,
            Devices = top["devices"] is { } dv && !YamlSection.IsNull(dv) ? ReadDevices(Map(top, dv, "devices"), BaseDir(file), defaults, vm.Vcpus) : new DevicesSpec(),
            Interrupts = top["interrupts"] is { } ir && !YamlSection.IsNull(ir) ? ReadInterrupts(Map(top, ir, "interrupts"), BaseDir(file)) : new InterruptSpec(),
            Memory = top["memory"] is { } me && !YamlSection.IsNull(me) ? ReadMemory(Map(top, me, "memory")) : null,
            Optimisations = top["optimisations"] is { } op && !YamlSection.IsNull(op) ? ReadOptimisations(top, op, host) : EquatableArray<string>.Empty,
            SourcePath = file,
        };
        top.RejectUnknownKeys();
        ScenarioChecks.Check(scenario, root, file);
        return scenario;
    }

    private static string? BaseDir(string file) =>
        file.StartsWith('<') ? null : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file));

    internal static YamlMappingNode LoadRoot(string text, string file)
    {
        YamlGuard.Check(text, file);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            string msg = e.InnerException?.Message ?? e.Message;
            if (msg.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase))
                msg = "duplicate key (each key may appear once per section)";
            else msg = "YAML syntax error: " + msg.TrimEnd('.') + (msg.Contains("mapping values")
                ? " (check indentation, and quote values that contain ': ')"
                : " (check indentation, brackets and quotes near here)");
            throw new ScenarioException(file, (int)e.Start.Line, (int)e.Start.Column, msg);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unclosed [ or { : report where parsing stopped.
            var (line, col) = LastGoodMark(text);
            throw new ScenarioException(file, line, col, "YAML syntax error: an unclosed '[' or '{' (or a stray character) starting here");
        }
        if (stream.Documents.Count == 0) throw new ScenarioException(file, 1, 1, "the scenario is empty (it needs at least host:, vm: and exits:)");
        if (stream.Documents.Count > 1) throw new ScenarioException(file, (int)stream.Documents[1].RootNode.Start.Line, 1, "one scenario per file, found a second YAML document (remove the '---' and what follows)");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ScenarioException(file, (int)stream.Documents[0].RootNode.Start.Line, (int)stream.Documents[0].RootNode.Start.Column,
                "a scenario is a mapping of sections (name:, host:, vm:, exits:, run:)");
        return root;
    }

    private static (int Line, int Column) LastGoodMark(string text)
    {
        var parser = new Parser(new StringReader(text));
        (int, int) last = (1, 1);
        try
        {
            while (parser.MoveNext())
                if (parser.Current is { } ev && ev is YamlDotNet.Core.Events.SequenceStart or YamlDotNet.Core.Events.MappingStart)
                    last = ((int)ev.Start.Line, (int)ev.Start.Column);
        }
        catch (Exception e) when (e is InvalidOperationException or YamlException) { }
        return last;
    }

    /// <summary>The message with a hint in parentheses unless it already ends with one.</summary>
    private static string WithHint(string message, string hint) => message.EndsWith(')') ? message : $"{message} ({hint})";

    /// <summary>arch/x86/kernel/kvm.c kvm_spinlock_init keeps native qspinlocks under KVM_HINTS_REALTIME (dedicated cores).</summary>
    internal const string PvSpinlockWithDisableExits =
        "pv-spinlock does not go with disable-exits: vCPUs on dedicated cores get KVM_HINTS_REALTIME, with which the guest keeps native spinlocks, and kvm_wait's HLT would not exit (drop one)";

    private static readonly string[] KnownFeatures = ["ept", "npt", "vpid", "apicv", "avic", "posted-interrupts", "x2apic", "ipiv", "x2avic", "pv-eoi",
        "vtd-pi", "disable-exits", "exit-fastpath", "steal-time", "pv-tlb-flush", "pv-sched-yield", "pv-ipi", "posted-timer", "pv-spinlock"];

    private static HostSpec ReadHost(YamlSection top, string? baseDir)
    {
        var s = Map(top, top.Required("host", "{ vendor: intel, ghz: 2.0, cores: 28 }"), "host");
        var vendorNode = s.Required("vendor", "intel");
        var vendor = Enum(s, vendorNode, "vendor", ("intel", Vendor.Intel), ("amd", Vendor.Amd));
        var defaults = HostDefaults.Current;
        if (s["defaults"] is { } dn && !YamlSection.IsNull(dn))
        {
            string name = Scalar(s, dn, "defaults").Value ?? "";
            defaults = HostDefaults.Find(name) ?? throw s.Error(dn,
                $"unknown host defaults '{name}' (known: {string.Join(", ", HostDefaults.All.Select(d => d.Name))}; see docs/scenarios.md)");
        }
        // A features: list is the whole list (what it leaves out is off); without one, the defaults' list.
        var features = s["features"] is null ? defaults.Features(vendor).ToList() : new List<string>();
        if (s["features"] is { } fn && !YamlSection.IsNull(fn))
        {
            if (fn is not YamlSequenceNode seq) throw s.Error(fn, "'host.features' must be a list, e.g. [ept, apicv]");
            foreach (var item in seq)
            {
                string f = Scalar(s, item, "features").Value ?? "";
                if (!KnownFeatures.Contains(f))
                {
                    string? near = Suggest.Closest(f, KnownFeatures);
                    throw s.Error(item, $"unknown host feature '{f}'" + (near is not null ? $" (did you mean '{near}'?)" : $" (known: {string.Join(", ", KnownFeatures)})"));
                }
                string? wrong = (vendor, f) switch
                {
                    (Vendor.Intel, "avic" or "npt" or "x2avic") => $"'{f}' is an AMD feature but the host is vendor: intel (Intel has {(f == "npt" ? "ept" : "apicv")})",
                    (Vendor.Amd, "apicv" or "ept" or "ipiv" or "vtd-pi" or "exit-fastpath") => $"'{f}' is an Intel feature but the host is vendor: amd (AMD has {(f == "ept" ? "npt" : "avic")})",
                    _ => null,
                };
                if (wrong is not null) throw s.Error(item, wrong);
                if (features.Contains(f)) throw s.Error(item, $"feature '{f}' is listed twice (list each once)");
                features.Add(f);
            }
            // kvm_intel turns enable_ipiv off without enable_apicv (arch/x86/kvm/vmx/vmx.c); x2AVIC is part of AVIC (svm/avic.c);
            // KVM writes a posted IRTE only while APICv is active (arch/x86/kvm/vmx/posted_intr.c pi_update_irte).
            foreach (var (f, needs) in new[] { ("ipiv", "apicv"), ("x2avic", "avic"), ("vtd-pi", "apicv"), ("pv-tlb-flush", "steal-time"), ("pv-sched-yield", "steal-time"), ("posted-timer", "disable-exits") })
                if (features.Contains(f) && !features.Contains(needs))
                    throw s.Error(seq.Children[features.IndexOf(f)], $"'{f}' works only with {needs} on (add {needs} to host.features)");
            // kvm_can_post_timer_interrupt (arch/x86/kvm/lapic.c): pi_inject_timer and APICv/AVIC active and HLT or MWAIT in the guest.
            if (features.Contains("posted-timer") && !features.Contains(vendor == Vendor.Intel ? "apicv" : "avic"))
                throw s.Error(seq.Children[features.IndexOf("posted-timer")], $"'posted-timer' posts the timer's interrupt: it works only with {(vendor == Vendor.Intel ? "apicv" : "avic")} on (add it to host.features)");
            if (features.Contains("pv-spinlock") && features.Contains("disable-exits"))
                throw s.Error(seq.Children[features.IndexOf("pv-spinlock")], PvSpinlockWithDisableExits);
        }
        var spec = new HostSpec
        {
            Vendor = vendor,
            Ghz = Number(s, s.Required("ghz", "2.0"), "ghz", ScenarioLimits.MinGhz, ScenarioLimits.MaxGhz, allowZero: false, "2.0"),
            Cores = Int(s, s.Required("cores", "28"), "cores", 1, 4096),
            TickHz = s["tick_hz"] is { } th ? Number(s, th, "tick_hz", 1, ScenarioLimits.MaxTimerHz, allowZero: true, "1000") : defaults.HostTickHz,
            FastpathSaving = s["fastpath_saving"] is { } fp && !YamlSection.IsNull(fp) ? Time(s, fp, "fastpath_saving", allowZero: true) : HostSpec.DefaultFastpathSaving,
            IpiSend = s["ipi_send"] is { } ips && !YamlSection.IsNull(ips) ? Time(s, ips, "ipi_send", allowZero: true) : HostSpec.DefaultIpiSend,
            TimerArm = s["timer_arm"] is { } ta && !YamlSection.IsNull(ta) ? Time(s, ta, "timer_arm", allowZero: true) : HostSpec.DefaultTimerArm,
            TimerInject = s["timer_inject"] is { } ti && !YamlSection.IsNull(ti) ? Time(s, ti, "timer_inject", allowZero: true) : HostSpec.DefaultTimerInject,
            IpiNotify = s["ipi_notify"] is { } ipn && !YamlSection.IsNull(ipn) ? Time(s, ipn, "ipi_notify", allowZero: true) : HostSpec.DefaultIpiNotify,
            IpiWake = s["ipi_wake"] is { } ipw && !YamlSection.IsNull(ipw) ? Time(s, ipw, "ipi_wake", allowZero: true) : HostSpec.DefaultIpiWake,
            TimesliceNs = s["timeslice"] is { } ts && !YamlSection.IsNull(ts) ? Timeslice(s, ts) : HostSpec.DefaultTimesliceNs,
            Features = features.ToEquatableArray(),
            Defaults = defaults.Name,
            IdleStates = s["cstates"] is { } cs && !YamlSection.IsNull(cs) ? ReadIdleStates(s, cs) : defaults.IdleStates(vendor),
            Model = Str(s, "model"),
            Profile = s["profile"] is { } pn && !YamlSection.IsNull(pn) ? HostProfileLoader.Load(Scalar(s, pn, "profile").Value ?? "", baseDir, s, pn) : null,
            Nested = s["nested"] is { } nn && !YamlSection.IsNull(nn) ? ReadNested(Map(s, nn, "nested"), vendor, baseDir) : new NestedSpec(),
        };
        if (spec.Features.Contains("posted-timer") && spec.TickHz > 0)
            throw s.Error(s["tick_hz"] ?? s["features"]!, "'posted-timer' needs the vCPUs' cores nohz_full, host.tick_hz: 0 (KVM's pi_inject_timer defaults on only then, and only then does the timer's hrtimer fire on a housekeeping core)");
        if (s["ipi_notify"] is { } notify && spec.IpiNotify.Resolve(spec.Ghz) > spec.IpiSend.Resolve(spec.Ghz))
            throw s.Error(notify, $"'ipi_notify' ({spec.IpiNotify}) is the notification's part of 'ipi_send' ({spec.IpiSend}), so it cannot be larger (give ipi_send the whole delivery)");
        s.RejectUnknownKeys();
        return spec;
    }

    private static (PhaseCosts Costs, ExitPath? Path) ReadCosts(YamlSection s, string? baseDir, bool allowPath)
    {
        var costs = new PhaseCosts
        {
            Save = s["save"] is { } a && !YamlSection.IsNull(a) ? Dist(s, a, "save", baseDir) : null,
            Handle = s["handle"] is { } b && !YamlSection.IsNull(b) ? Dist(s, b, "handle", baseDir) : null,
            Emulate = s["emulate"] is { } c && !YamlSection.IsNull(c) ? Dist(s, c, "emulate", baseDir) : null,
            Reenter = s["reenter"] is { } d && !YamlSection.IsNull(d) ? Dist(s, d, "reenter", baseDir) : null,
        };
        ExitPath? path = null;
        if (allowPath && s["path"] is { } p && !YamlSection.IsNull(p))
            path = Enum(s, p, "path", ("kernel", ExitPath.Kernel), ("userspace", ExitPath.Userspace));
        return (costs, path);
    }

    private static double Timeslice(YamlSection s, YamlNode node)
    {
        double ns = Time(s, node, "timeslice", allowZero: false, allowCycles: false).Value;
        if (ns < ScenarioLimits.MinTimesliceNs || ns > ScenarioLimits.MaxTimesliceNs)
            throw s.Error(node, $"'timeslice' must be from {UnitFormat.Time(ScenarioLimits.MinTimesliceNs)} to {UnitFormat.Time(ScenarioLimits.MaxTimesliceNs)}, got {((YamlScalarNode)node).Value} (CFS slices are 0.75–24 ms; the default is 3ms)");
        return ns;
    }

    private static VmSpec ReadVm(YamlSection s, HostDefaults defaults, string? baseDir, double ghz)
    {
        var (backing, pageSize) = Backing(s, defaults);
        var vm = new VmSpec
        {
            Count = s["count"] is { } c ? Int(s, c, "count", 1, ScenarioLimits.MaxTotalVcpus, $"at most {ScenarioLimits.MaxTotalVcpus} vCPUs over all VMs") : 1,
            Vcpus = Int(s, s.Required("vcpus", "4"), "vcpus", 1, ScenarioLimits.MaxTotalVcpus, "KVM_MAX_VCPUS"),
            MemoryBytes = s["memory"] is { } m ? Size(s, m, "memory") : new VmSpec { Vcpus = 1 }.MemoryBytes,
            PageSizeBytes = pageSize,
            Backing = backing,
            QemuThreads = s["qemu_threads"] is { } q ? Enum(s, q, "qemu_threads", ("per-vm", QemuThreadMode.PerVm), ("per-vcpu", QemuThreadMode.PerVcpu)) : QemuThreadMode.PerVm,
            TimerHz = s["timer_hz"] is { } t ? Number(s, t, "timer_hz", 1, ScenarioLimits.MaxTimerHz, allowZero: true, "250") : 0,
            HaltPollNs = s["halt_poll"] is { } h ? Time(s, h, "halt_poll", allowZero: true, allowCycles: false).Value : defaults.HaltPollNs,
            HaltPollAdaptive = s["halt_poll_adaptive"] is not { } ha || Enum(s, ha, "halt_poll_adaptive", ("true", true), ("false", false)),
            NohzFull = s["nohz_full"] is { } nf && Enum(s, nf, "nohz_full", ("true", true), ("false", false)),
            GuestHaltPollNs = s["guest_halt_poll"] is { } gh ? Time(s, gh, "guest_halt_poll", allowZero: true, allowCycles: false).Value : 0,
            KernelSpin = s["kernel_spin"] is { } ks && !YamlSection.IsNull(ks) ? ReadKernelSpin(Map(s, ks, "kernel_spin"), baseDir, ghz) : null,
            TlbShootdowns = s["tlb_shootdowns"] is { } tsd && !YamlSection.IsNull(tsd) ? ReadTlbShootdowns(Map(s, tsd, "tlb_shootdowns")) : null,
        };
        if ((long)vm.Count * vm.Vcpus > ScenarioLimits.MaxTotalVcpus)
            throw s.Error(s["count"]!, $"{vm.Count} VMs × {vm.Vcpus} vCPUs is {(long)vm.Count * vm.Vcpus} vCPUs (at most {ScenarioLimits.MaxTotalVcpus} over all VMs: a run's memory grows with them, see docs/scenario-limits.md)");
        s.RejectUnknownKeys();
        return vm;
    }

    private static EquatableArray<ExitSpec> ReadExits(YamlSection top, HostSpec host, string? baseDir)
    {
        // A vmexit.flat test makes its own exits: it needs no exits: section.
        if ((top["exits"] is not { } given || YamlSection.IsNull(given)) && top["vmexit"] is { } vx && !YamlSection.IsNull(vx))
            return EquatableArray<ExitSpec>.Empty;
        var node = top.Required("exits", "{ IO_INSTRUCTION: { rate: 11k/s, path: userspace } }");
        var exits = Map(top, node, "exits");
        var list = new List<ExitSpec>();
        foreach (var (key, value) in exits.Entries)
        {
            string name = key.Value ?? "";
            if (ExitReasonCatalog.Find(host.Vendor, name) is null)
                throw exits.Error(key, WithHint(ExitReasonCatalog.Explain(host.Vendor, name), "see: exitsim list reasons"));
            _ = exits[name]; // mark as known
            // A reason with nothing under it is listed for its default costs only.
            var s = Map(exits, YamlSection.IsNull(value) ? new YamlMappingNode() : value, name);
            var (costs, path) = ReadCosts(s, baseDir, allowPath: true);
            var spec = new ExitSpec
            {
                Reason = name,
                Ioeventfd = s["ioeventfd"] is { } io && !YamlSection.IsNull(io) ? Dist(s, io, "ioeventfd", baseDir) : null,
                Coalesced = s["coalesced"] is { } co && !YamlSection.IsNull(co) ? Dist(s, co, "coalesced", baseDir) : null,
                Occurrence = ReadOccurrence(s, baseDir),
                Path = path,
                Costs = costs,
                Paths = s["paths"] is { } pn && !YamlSection.IsNull(pn) ? ReadPaths(s, pn, baseDir) : EquatableArray<PathSpec>.Empty,
                Line = (int)key.Start.Line,
            };
            if (spec.Paths.Count > 0 && (s["rate"] ?? s["interval"] ?? s["clock"] ?? s["path"]) is { } single)
                throw s.Error(single, $"{name} has paths:, so its rate (or interval) and path go under each path, not on the reason (e.g. paths: {{ kernel: {{ rate: 1k/s }}, userspace: {{ rate: 30k/s }} }})");
            s.RejectUnknownKeys();
            list.Add(spec);
        }
        return list.ToEquatableArray();
    }

    /// <summary><c>paths: { kernel: { rate, costs… }, userspace: { … } }</c>: each path with its own occurrence and costs.</summary>
    private static EquatableArray<PathSpec> ReadPaths(YamlSection reason, YamlNode node, string? baseDir)
    {
        var paths = Map(reason, node, "paths");
        var list = new List<PathSpec>();
        foreach (var (key, value) in paths.Entries)
        {
            string name = key.Value ?? "";
            var path = Enum(paths, key, "path", ("kernel", ExitPath.Kernel), ("userspace", ExitPath.Userspace));
            _ = paths[name]; // mark as known
            var s = Map(paths, YamlSection.IsNull(value) ? new YamlMappingNode() : value, name);
            var (costs, _) = ReadCosts(s, baseDir, allowPath: false);
            var occurrence = ReadOccurrence(s, baseDir)
                ?? throw paths.Error(key, $"the {name} path of {reason.Path.Split('.')[^1]} needs its own rate or interval (e.g. {name}: {{ rate: 1k/s }})");
            if (path == ExitPath.Kernel && costs.Emulate is not null)
                throw s.Error(s["emulate"]!, "a kernel path has no emulate phase (emulate is QEMU's time: give it on the userspace path)");
            list.Add(new PathSpec { Path = path, Occurrence = occurrence, Costs = costs, Line = (int)key.Start.Line });
            s.RejectUnknownKeys();
        }
        if (list.Count == 0) throw reason.Error(node, "'paths' needs at least one of kernel: or userspace:, each with its rate (e.g. paths: { kernel: { rate: 1k/s } })");
        return list.ToEquatableArray();
    }

    private static Occurrence? ReadOccurrence(YamlSection s, string? baseDir)
    {
        var rateNode = s["rate"];
        var intervalNode = s["interval"];
        var clockNode = s["clock"];
        if (rateNode is not null && intervalNode is not null)
            throw s.Error(intervalNode, "give either 'rate' or 'interval', not both (rate: 25k/s is interval: exp(40us))");
        var clock = clockNode is null ? OccurrenceClock.Guest
            : Enum(s, clockNode, "clock", ("guest", OccurrenceClock.Guest), ("wall", OccurrenceClock.Wall));
        if (rateNode is not null)
        {
            double rate = Rate(s, rateNode, "rate");
            return new Occurrence { Rate = rate, Clock = clock };
        }
        if (intervalNode is not null)
        {
            var d = Dist(s, intervalNode, "interval", baseDir);
            if (d is ConstantDistribution { Value.Unit: QuantityUnit.Cycles } || d.Format().Contains("cyc"))
                throw s.Error(intervalNode, "'interval' is guest or wall time: give it in ns, us, ms or s, not cycles (e.g. interval: exp(40us))");
            if (!(d.Mean(1) >= ScenarioLimits.MinMeanIntervalNs))
                throw s.Error(intervalNode, $"'interval' must have a mean of at least {UnitFormat.Time(ScenarioLimits.MinMeanIntervalNs)}, got {UnitFormat.Time(d.Mean(1))} (at most one exit per nanosecond, e.g. interval: exp(40us))");
            return new Occurrence { Interval = d, Clock = clock };
        }
        if (clockNode is not null) throw s.Error(clockNode, "'clock' needs a 'rate' or an 'interval' (e.g. rate: 1k/s, clock: wall)");
        return null;
    }

    private static RunSpec ReadRun(YamlSection s)
    {
        var d = new RunSpec();
        var run = new RunSpec
        {
            Duration = s["duration"] is { } a ? Time(s, a, "duration", allowZero: false, allowCycles: false) : d.Duration,
            Warmup = s["warmup"] is { } b ? Time(s, b, "warmup", allowZero: true, allowCycles: false) : d.Warmup,
            Replications = s["replications"] is { } c ? Int(s, c, "replications", 1, 100_000) : d.Replications,
            Seed = s["seed"] is { } e ? Seed(s, e) : d.Seed,
        };
        if (run.Warmup.Value + run.Duration.Value > ScenarioLimits.MaxTimeNs)
            throw s.Error(s["duration"] ?? s["warmup"]!, $"warm-up plus duration is {UnitFormat.Time(run.Warmup.Value + run.Duration.Value)} (at most 24h of simulated time per replication)");
        s.RejectUnknownKeys();
        return run;
    }

    internal static ulong Seed(YamlSection s, YamlNode node)
    {
        string text = Scalar(s, node, "seed").Value ?? "";
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)) return v;
        throw s.Error(node, $"'seed' must be a whole number, got '{text}' (from 0 to {ulong.MaxValue})");
    }

    private static KpiTargets ReadKpis(YamlSection s)
    {
        var d = new KpiTargets();
        var k = new KpiTargets
        {
            MaxExitsPerSecond = s["exit_rate"] is { } a ? Rate(s, a, "exit_rate") : d.MaxExitsPerSecond,
            MaxMeanExitLatencyNs = s["mean_exit_latency"] is { } b ? Time(s, b, "mean_exit_latency", true, false).Value : d.MaxMeanExitLatencyNs,
            MaxIoExitShare = s["io_exit_share"] is { } c ? Share(s, c, "io_exit_share") : d.MaxIoExitShare,
            MaxEptViolationShare = s["ept_violation_share"] is { } e ? Share(s, e, "ept_violation_share") : d.MaxEptViolationShare,
        };
        s.RejectUnknownKeys();
        return k;
    }
}
