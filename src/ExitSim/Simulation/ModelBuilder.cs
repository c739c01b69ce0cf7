using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Simulation.Memory;
using ExitSim.Units;

namespace ExitSim.Simulation;

/// <summary>Compiles a validated <see cref="Scenario"/> into a <see cref="SimulationModel"/>.</summary>
public static partial class ModelBuilder
{
    public static SimulationModel Build(Scenario s)
    {
        double ghz = s.Host.Ghz;
        var reasons = new List<ReasonModel>();
        var guest = new List<GuestClockStream>();
        var wall = new List<WallClockSource>();
        var memory = GuestMemory.Of(s);
        var notes = new List<string>();
        List<ExitSite>? siteList = null;

        int Add(string name, ExitSpec? spec)
        {
            int existing = reasons.FindIndex(r => r.Name == name);
            if (existing >= 0) return existing;
            var info = ExitReasonCatalog.Find(s.Host.Vendor, name)
                       ?? throw new InvalidOperationException($"reason {name} is not in the catalog");
            // A reason on several paths has no stream of its own; its own site (fired only by a mechanism
            // that uses the reason) takes its first path's costs where the reason gives none.
            var first = spec?.Paths.FirstOrDefault();
            var path = first?.Path ?? (spec is null ? info.TypicalPath : ScenarioChecks.ResolvedPath(s, spec));
            var c = Merge(spec?.Costs ?? new PhaseCosts(), first?.Costs);
            Distribution save = c.Save ?? s.Costs.Save!, handle = c.Handle ?? s.Costs.Handle!, reenter = c.Reenter ?? s.Costs.Reenter!;
            Distribution? emulate = path == ExitPath.Userspace ? c.Emulate ?? s.Costs.Emulate : null;
            handle = ProbedHandle(s, name, path, (path == ExitPath.Kernel ? "kernel" : "userspace"), save, handle, reenter, notes);
            Sampler? interval = spec?.Occurrence is { Clock: OccurrenceClock.Guest } o ? IntervalSampler(o, ghz) : null;
            reasons.Add(new ReasonModel
            {
                Name = name,
                Code = info.Code,
                Category = info.Category,
                Path = path,
                Save = save.ToSampler(ghz),
                Handle = handle.ToSampler(ghz),
                Emulate = emulate?.ToSampler(ghz) ?? Sampler.Zero,
                Reenter = reenter.ToSampler(ghz),
                MeanSave = save.Mean(ghz),
                MeanHandle = handle.Mean(ghz),
                MeanEmulate = emulate?.Mean(ghz) ?? 0,
                MeanReenter = reenter.Mean(ghz),
            });
            // A reason's own occurrences fire at its own site, which has the reason's index.
            int index = reasons.Count - 1;
            if (interval is { } i) guest.Add(new GuestClockStream { Site = index, StreamKey = info.Code, Interval = i });
            if (spec?.Occurrence is { Clock: OccurrenceClock.Wall } w)
                wall.Add(new WallClockSource
                {
                    Name = name,
                    StreamKey = 1 + info.Code,
                    Interval = IntervalSampler(w, ghz),
                    Periodic = false,
                    Sites = [index],
                });
            return index;
        }

        var fault = MechanismReasons.For(s.Host.Vendor, MechanismReasons.PageFault);
        var exits = s.Exits.ToList();
        if (s.Workload is not null && memory.FaultsPerGuestSecond > 0)
        {
            // First touch: one EPT violation per new backing page (docs/kvm-facts.md §3.6).
            var touch = new Occurrence { Rate = memory.FaultsPerGuestSecond };
            int at = exits.FindIndex(e => e.Reason == fault);
            if (at >= 0) exits[at] = exits[at] with { Occurrence = touch };
            else exits.Add(new ExitSpec { Reason = fault, Occurrence = touch });
        }
        foreach (var e in exits) Add(e.Reason, e);
        int tickRearm = -1;
        int[] chain = [];
        if (s.Vm.TimerHz > 0)
        {
            // Posted (pi_inject_timer): the expiry makes no exit, only the handler's re-arm does.
            chain = TimerTick.Reasons(s.Host.Vendor, s.Host.Features).OfType<string>().Select(n => Add(n, s.Exits.FirstOrDefault(e => e.Reason == n))).ToArray();
            tickRearm = chain[^1];
            wall.Add(new WallClockSource
            {
                Name = "timer",
                StreamKey = 0,
                Interval = Sampler.Constant(1e9 / s.Vm.TimerHz),
                Periodic = true,
                Sites = chain,
                ExitsAtEntry = TimerTick.ExitsAtEntry(s.Host.Vendor, s.Host.Features),
                GuestTick = true,
                Posted = TimerTick.Backing(s.Host.Vendor, s.Host.Features) == TimerTick.TimerBacking.Posted,
            });
        }

        Vcpus.PauseLoopParameters? pauseLoop = null;
        int pvKick = -1;
        // KVM_CAP_X86_DISABLE_EXITS_PAUSE: PAUSE is not intercepted, so a spin-wait never exits (no PLE). Independent
        // spin-waits then change nothing; a lock's waiters still wait for its holder, without PLE exits or directed yield.
        bool noPle = s.Host.Features.Contains("disable-exits");
        if (s.Vm.KernelSpin is { } spin && (!noPle || spin.Hold is not null))
        {
            // The guest kernel's spin-waits: PAUSE exits only where one outlasts the PLE window (Vcpus/PauseLoopExiting).
            string pause = MechanismReasons.For(s.Host.Vendor, MechanismReasons.Pause);
            int site = Add(pause, s.Exits.FirstOrDefault(e => e.Reason == pause));
            pauseLoop = Vcpus.PauseLoopParameters.For(s.Host.Vendor, ghz, site, guest.Count, spin.Wait?.ToSampler(ghz) ?? Sampler.Zero) with
            {
                Hold = spin.Hold?.ToSampler(ghz), VcpusPerVm = s.Vm.Vcpus,   // the lock model: one kernel spinlock per VM (Vcpus/KernelSpinLock)
            };
            if (noPle) pauseLoop = pauseLoop with { WindowNs = double.PositiveInfinity, MaxWindowNs = double.PositiveInfinity };
            // PV spinlocks: a waiter halts (the workload's HLT site) and is kicked by a hypercall (Vcpus/PvSpinParameters).
            if (s.Host.Features.Contains("pv-spinlock") && spin.Hold is not null && s.Workload is not null)
                pvKick = Add(MechanismReasons.For(s.Host.Vendor, "VMCALL"), s.Exits.FirstOrDefault(e => e.Reason == MechanismReasons.For(s.Host.Vendor, "VMCALL")));
            guest.Add(new GuestClockStream { Site = site, StreamKey = 0x5000, Interval = Sampler.Exponential(1e9 / spin.Rate) });
        }

        var benchExits = s.Vmexit is { } bench ? VmexitExits.For(s.Host.Vendor, s.Interrupts.Apic, s.Host.Features, bench.Test) : null;
        foreach (var name in benchExits?.Reasons ?? []) Add(name, s.Exits.FirstOrDefault(e => e.Reason == name));
        var fast = new Fastpath(s);
        var send = new IpiSend(s);
        var timer = new TimerSteps(s);
        var shootdowns = Vcpus.TlbShootdownParameters.Build(s, guest, Add);

        WorkloadModel? workload = null;
        if (s.Workload is { } w)
        {
            string Name(string intel) => MechanismReasons.For(s.Host.Vendor, intel);
            int Reason(string intel) => Add(Name(intel), s.Exits.FirstOrDefault(e => e.Reason == Name(intel)));
            var apic = ApicExits.For(s.Host.Vendor, s.Interrupts.Apic, s.Host.Features);
            bool level = new[] { s.Devices.Disk, s.Devices.Nic }.Any(d => d is not null && DeviceModels.LevelTriggered(d.Model));
            int Apic(string? name) => name is null ? -1 : Add(name, s.Exits.FirstOrDefault(e => e.Reason == name));
            int extInt = Reason(MechanismReasons.ExternalInterrupt), window = s.Interrupts.Masked > 0 ? Reason(MechanismReasons.InterruptWindow) : -1,
                edgeEoi = Apic(apic.EdgeEoi), icr = Apic(apic.Icr), levelEoi = level ? Apic(apic.LevelEoi) : -1, halt = Reason(MechanismReasons.Halt);
            foreach (var d in new[] { s.Devices.Disk, s.Devices.Nic }.OfType<DeviceSpec>().Where(d => !DeviceModels.Passthrough(d.Model))) Reason(DeviceModels.RegisterReason(d.Model));
            if (s.Host.TickHz > 0)
            {
                // The host's own scheduler tick on the vCPU's core: a running vCPU exits with EXTERNAL_INTERRUPT (kernel/time/tick-sched.c
                // keeps it while the core is busy unless nohz_full); a blocked vCPU's core is idle (NO_HZ idle), in root mode the host takes it.
                wall.Add(new WallClockSource
                {
                    Name = "host tick", StreamKey = 0x7000, Interval = Sampler.Constant(1e9 / s.Host.TickHz), Periodic = true,
                    Sites = [extInt], HostOnly = true,
                });
            }
            // Every reason is known now: sites 0..R-1 are the reasons' own.
            var sites = OwnSites(reasons, fault, memory.ZeroNsPerFault);
            DeviceModel? Device(DeviceSpec? d, int streamBase)
            {
                if (d is null) return null;
                string regName = Name(DeviceModels.RegisterReason(d.Model));
                var spec = s.Exits.FirstOrDefault(e => e.Reason == regName);
                int reg = reasons.FindIndex(r => r.Name == regName);
                var c = spec?.Costs ?? new PhaseCosts();
                Distribution save = c.Save ?? s.Costs.Save!, reenter = c.Reenter ?? s.Costs.Reenter!;
                int registerSite = sites.Count;
                if (DeviceModels.Emulated(d.Model))
                    sites.Add(new ExitSite
                    {
                        Reason = reg, Path = ExitPath.Userspace, StreamKey = 0x1000 + streamBase,
                        Save = save.ToSampler(ghz), Handle = (c.Handle ?? s.Costs.Handle!).ToSampler(ghz),
                        Emulate = (c.Emulate ?? s.Costs.Emulate!).ToSampler(ghz), Reenter = reenter.ToSampler(ghz),
                    });
                // The e1000's coalesced RDT write: KVM emulates it and fills the coalesced-MMIO ring (no userspace exit).
                // Its stream key is the one a virtio model's notify would use: a device has one or the other.
                int coalescedSite = -1;
                if (DeviceModels.CoalescedHandlerWrites(d.Model) > 0)
                {
                    coalescedSite = sites.Count;
                    var co = spec?.Coalesced ?? new LogNormalDistribution(Quantity.Cycles(DeviceModels.CoalescedHandleCycles), 0.3);
                    sites.Add(new ExitSite
                    {
                        Reason = reg, Path = ExitPath.Kernel, StreamKey = 0x1000 + streamBase + 1, Coalesced = true,
                        Save = save.ToSampler(ghz), Handle = co.ToSampler(ghz), Emulate = Sampler.Zero, Reenter = reenter.ToSampler(ghz),
                    });
                }
                int notifySite = sites.Count;
                if (DeviceModels.IsVirtio(d.Model))
                    sites.Add(new ExitSite
                    {
                        Reason = reg, Path = ExitPath.Kernel, StreamKey = 0x1000 + streamBase + 1,
                        Save = save.ToSampler(ghz), Handle = spec!.Ioeventfd!.ToSampler(ghz), Emulate = Sampler.Zero, Reenter = reenter.ToSampler(ghz),
                    });
                bool vhost = d.Dataplane is Dataplane.Vhost or Dataplane.VhostUser;
                return new DeviceModel
                {
                    Kind = d.Model,
                    Virtio = DeviceModels.IsVirtio(d.Model),
                    Passthrough = DeviceModels.Passthrough(d.Model),
                    HostIrqExits = DeviceModels.Passthrough(d.Model) && !apic.IommuPosted,
                    IommuPosts = DeviceModels.Passthrough(d.Model) && apic.IommuPosted,
                    Queues = d.Queues,
                    Depth = d.Depth ?? DeviceModels.DefaultDepth(d.Model),
                    Dataplane = d.Dataplane,
                    Iothreads = d.Iothreads,
                    PollMaxNs = d.PollMaxNs,
                    Aio = d.Aio,
                    Complete = d.Complete?.ToSampler(ghz) ?? Sampler.Zero,
                    Frontend = (vhost ? d.Vhost : d.Qemu)?.ToSampler(ghz) ?? Sampler.Zero,
                    Backend = d.Backend?.ToSampler(ghz) ?? Sampler.Zero,
                    HasBackend = d.Backend is not null,
                    Channels = d.Channels,
                    SubmitExits = DeviceModels.SubmitExits(d.Model),
                    HandlerExits = DeviceModels.HandlerExits(d.Model),
                    CoalescedHandlerWrites = DeviceModels.CoalescedHandlerWrites(d.Model),
                    MitigationNs = DeviceModels.MitigationNs(d.Model),
                    SiteCoalesced = coalescedSite,
                    LevelTriggered = DeviceModels.LevelTriggered(d.Model),
                    SiteRegister = registerSite,
                    SiteNotify = notifySite,
                };
            }
            workload = new WorkloadModel
            {
                Kind = w.Kind,
                ClientsPerVm = w.Clients,
                PingPong = w.PingPong,
                HasThink = w.Think is not null && w.Think.Mean(ghz) > 0,
                Think = w.Think?.ToSampler(ghz) ?? Sampler.Zero,
                InterArrivalNs = w.Rate > 0 ? 1e9 / w.Rate : 0,
                Compute = w.Operation.Compute.ToSampler(ghz),
                TlbFactor = memory.TlbFactor,
                DiskIoWhole = (int)Math.Floor(w.Operation.DiskIo),
                DiskIoFraction = w.Operation.DiskIo - Math.Floor(w.Operation.DiskIo),
                NetRx = w.Operation.NetRx,
                NetTx = w.Operation.NetTx,
                Disk = Device(s.Devices.Disk, 0),
                Nic = Device(s.Devices.Nic, 2),
                Handler = s.Interrupts.Handler!.ToSampler(ghz),
                Wake = s.Interrupts.Wake!.ToSampler(ghz),
                Masked = s.Interrupts.Masked,
                HaltPollNs = s.Vm.HaltPollNs,
                HaltPollAdaptive = s.Vm.HaltPollAdaptive,
                GuestHaltPollNs = s.Vm.GuestHaltPollNs,
                HltInGuest = s.Host.Features.Contains("disable-exits"),
                PostedDelivery = apic.Posted,
                PiDescriptor = apic.Posted && s.Host.Vendor == Vendor.Intel,
                VirtualApic = apic.VirtualDelivery,
                PvEoi = apic.PvEoi,
                IcrOnlyToBlocked = apic.IcrOnlyToBlocked,
                SiteExternalInterrupt = extInt,
                SiteInterruptWindow = window,
                SiteEoiEdge = edgeEoi,
                SiteEoiLevel = levelEoi,
                Icr = send.Sites(sites, icr, x => icr >= 0 && fast.Takes(apic.Icr!, ExitFastpath.Kind.IcrWrite) ? fast.Site(sites, x, ExitFastpath.Kind.IcrWrite) : x),
                SiteHalt = halt,
                SiteTickRearm = tickRearm >= 0 && fast.Takes(reasons[tickRearm].Name, ExitFastpath.Kind.TscDeadlineWrite)
                    ? fast.Site(sites, timer.Arm(sites, tickRearm), ExitFastpath.Kind.TscDeadlineWrite) : timer.Arm(sites, tickRearm),
                PollModeGuest = s.Devices.Nic is { Driver: NicDriver.Pmd },
            };
            siteList = sites;
        }

        if (pvKick >= 0) pauseLoop = pauseLoop! with { PvSpin = Vcpus.PvSpinParameters.For(s.Host.Vendor, ghz, s.Vm.KernelSpin!.Loop, workload!.SiteHalt, pvKick) };
        var allSites = siteList ?? OwnSites(reasons, null, 0);
        if (shootdowns is { SiteBroadcast: >= 0 } sd) shootdowns = sd with { SiteBroadcast = Vcpus.AvicBroadcast.Site(s, allSites, sd.SiteBroadcast) };
        // The tick: its expiry's exit (PREEMPTION_TIMER, or the host hrtimer's interrupt; none when posted) with KVM's
        // injection, and the handler's TSC_DEADLINE re-arm with KVM's arm (the same re-arm site as the NO_HZ one above).
        for (int i = 0; i < chain.Length; i++)
        {
            bool rearm = i == chain.Length - 1;
            var kind = rearm ? ExitFastpath.Kind.TscDeadlineWrite : ExitFastpath.Kind.PreemptionTimer;
            string name = reasons[chain[i]].Name;
            chain[i] = rearm ? timer.Arm(allSites, chain[i]) : timer.Expiry(allSites, chain[i]);
            if (fast.Takes(name, kind)) chain[i] = fast.Site(allSites, chain[i], kind);
        }
        var vmexit = s.Vmexit is { } vx ? BuildVmexit(s, vx, benchExits!, reasons, allSites, fast, send, timer) : null;
        foreach (var spec in s.Exits.Where(e => e.Paths.Count > 0))
            AddPaths(s, spec, reasons.FindIndex(r => r.Name == spec.Reason), allSites, guest, wall, notes);
        if (s.Host.Nested.Enabled)
        {
            // An L2 exit L1 handles is multiplied into L0 exits (Simulation/NestedCharge); L0's own are not.
            var nested = new NestedCharge(s.Host.Nested, s, ghz);
            foreach (var site in allSites)
                if (NestedExits.Reflected(reasons[site.Reason].Name)) site.Nested = nested;
        }

        return new SimulationModel
        {
            Workload = workload,
            Vmexit = vmexit,
            Sites = allSites.ToArray(),
            Scenario = s,
            Reasons = reasons.ToArray(),
            GuestStreams = guest.ToArray(),
            WallSources = wall.ToArray(),
            PauseLoop = pauseLoop,
            TlbShootdowns = shootdowns,
            VmCount = s.Vm.Count,
            VcpusPerVm = s.Vm.Vcpus,
            QemuThreads = s.Vm.QemuThreads,
            WarmupNs = s.Run.Warmup.Value,
            DurationNs = s.Run.Duration.Value,
            Notes = notes.ToArray(),
        };
    }

    /// <summary>
    /// One site per path of a reason taken on several (<c>paths:</c>), each with its own occurrence
    /// stream and costs (the path's, then the reason's, then the defaults; a probed path from the host
    /// profile replaces handle as for a reason's own path). Their stream keys are apart from the
    /// reasons' own (codes) and the devices' (0x1000…), so adding them shifts no other stream.
    /// </summary>
    private static void AddPaths(Scenario s, ExitSpec spec, int reason, List<ExitSite> sites, List<GuestClockStream> guest,
        List<WallClockSource> wall, List<string> notes)
    {
        double ghz = s.Host.Ghz;
        int code = ExitReasonCatalog.Find(s.Host.Vendor, spec.Reason)!.Code;
        foreach (var p in spec.Paths)
        {
            int key = 2 * code + (p.Path == ExitPath.Kernel ? 0 : 1);
            var c = Merge(p.Costs, spec.Costs);
            Distribution save = c.Save ?? s.Costs.Save!, handle = c.Handle ?? s.Costs.Handle!, reenter = c.Reenter ?? s.Costs.Reenter!;
            string name = p.Path == ExitPath.Kernel ? "kernel" : "userspace";
            handle = ProbedHandle(s, spec.Reason, p.Path, $"{name} path", save, handle, reenter, notes);
            int site = sites.Count;
            sites.Add(new ExitSite
            {
                Reason = reason, Path = p.Path, StreamKey = 0x2000 + key,
                Save = save.ToSampler(ghz), Handle = handle.ToSampler(ghz), Reenter = reenter.ToSampler(ghz),
                Emulate = p.Path == ExitPath.Userspace ? (c.Emulate ?? s.Costs.Emulate!).ToSampler(ghz) : Sampler.Zero,
            });
            if (p.Occurrence.Clock == OccurrenceClock.Guest)
                guest.Add(new GuestClockStream { Site = site, StreamKey = 0x4000 + key, Interval = IntervalSampler(p.Occurrence, ghz) });
            else
                wall.Add(new WallClockSource
                {
                    Name = $"{spec.Reason} ({name})", StreamKey = 0x6000 + key, Interval = IntervalSampler(p.Occurrence, ghz), Periodic = false, Sites = [site],
                });
        }
    }

    /// <summary>
    /// The handle phase of (reason, path): the host profile's probed round trip less save and reenter
    /// where the profile measured that path (noted), else <paramref name="handle"/> as given.
    /// </summary>
    private static Distribution ProbedHandle(Scenario s, string reason, ExitPath path, string label, Distribution save, Distribution handle,
        Distribution reenter, List<string> notes)
    {
        if (ProfileCosts.PathFor(reason, path) is not { } probed || s.Host.Profile?.Path(probed) is not { } measured) return handle;
        double ghz = s.Host.Ghz;
        var probedHandle = ProfileCosts.Handle(measured, save.Mean(ghz) + reenter.Mean(ghz));
        notes.Add($"host profile {s.Host.Profile.File}: {reason} ({label}) handle = {probed} round trip minus save and reenter: {probedHandle.Format()}");
        return probedHandle;
    }

    /// <summary>Phases of <paramref name="over"/>, with those it lacks from <paramref name="under"/>.</summary>
    private static PhaseCosts Merge(PhaseCosts over, PhaseCosts? under) => under is null ? over : new PhaseCosts
    {
        Save = over.Save ?? under.Save,
        Handle = over.Handle ?? under.Handle,
        Emulate = over.Emulate ?? under.Emulate,
        Reenter = over.Reenter ?? under.Reenter,
    };

    /// <summary>
    /// Each reason's own site (same index), with its costs. First-touch faults (<paramref name="fault"/>) are
    /// host page faults handled in the kernel — even on AMD, where 'npf' is also the MMIO exit an emulated
    /// device's registers take to QEMU (that one gets a site of its own) — plus any huge-page clearing.
    /// </summary>
    private static List<ExitSite> OwnSites(List<ReasonModel> reasons, string? fault, double zeroNs) =>
        reasons.Select((r, i) => new ExitSite
        {
            Reason = i, Path = r.Name == fault ? ExitPath.Kernel : r.Path, StreamKey = r.Code, Save = r.Save, Handle = r.Handle,
            Emulate = r.Name == fault ? Sampler.Zero : r.Emulate, Reenter = r.Reenter,
            HandleExtraNs = r.Name == fault ? zeroNs : 0,
        }).ToList();

    private static Sampler IntervalSampler(Occurrence o, double ghz) =>
        o.Rate is { } rate
            ? rate > 0 ? Sampler.Exponential(1e9 / rate) : Sampler.Constant(double.PositiveInfinity)
            : o.Interval!.ToSampler(ghz);
}
