using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Simulation;

/// <summary>Compiles a validated <see cref="Scenario"/> into a <see cref="SimulationModel"/>.</summary>
public static class ModelBuilder
{
    public static SimulationModel Build(Scenario s)
    {
        double ghz = s.Host.Ghz;
        var reasons = new List<ReasonModel>();
        var guest = new List<int>();
        var wall = new List<WallSource>();
        var notes = new List<string>();

        int Add(string name, ExitSpec? spec)
        {
            int existing = reasons.FindIndex(r => r.Name == name);
            if (existing >= 0) return existing;
            var info = ExitReasonCatalog.Find(s.Host.Vendor, name)
                       ?? throw new InvalidOperationException($"reason {name} is not in the catalog");
            var path = spec is null ? info.TypicalPath : ScenarioChecks.ResolvedPath(s, spec);
            var c = spec?.Costs ?? new PhaseCosts();
            Distribution save = c.Save ?? s.Costs.Save!, handle = c.Handle ?? s.Costs.Handle!, reenter = c.Reenter ?? s.Costs.Reenter!;
            Distribution? emulate = path == ExitPath.Userspace ? c.Emulate ?? s.Costs.Emulate : null;
            if (ProfileCosts.PathFor(name, path) is { } probed && s.Host.Profile?.Median(probed) is { } roundTrip)
            {
                double fixedPart = Math.Max(0, roundTrip - save.Mean(ghz) - reenter.Mean(ghz));
                handle = new ConstantDistribution(Units.Quantity.Ns(fixedPart));
                notes.Add($"host profile {s.Host.Profile.File}: {name} ({(path == ExitPath.Kernel ? "kernel" : "userspace")}) handle = {probed} {Units.UnitFormat.Time(roundTrip)} minus save and reenter");
            }
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
                GuestInterval = interval,
                MeanSave = save.Mean(ghz),
                MeanHandle = handle.Mean(ghz),
                MeanEmulate = emulate?.Mean(ghz) ?? 0,
                MeanReenter = reenter.Mean(ghz),
            });
            int index = reasons.Count - 1;
            if (interval is not null) guest.Add(index);
            if (spec?.Occurrence is { Clock: OccurrenceClock.Wall } w)
                wall.Add(new WallSource
                {
                    Name = name,
                    StreamKey = 1 + info.Code,
                    Interval = IntervalSampler(w, ghz),
                    Periodic = false,
                    Chain = [index],
                });
            return index;
        }

        foreach (var e in s.Exits) Add(e.Reason, e);
        if (s.Vm.TimerHz > 0)
        {
            var chain = TimerTick.Reasons(s.Host.Vendor).Select(n => Add(n, s.Exits.FirstOrDefault(e => e.Reason == n))).ToArray();
            wall.Add(new WallSource
            {
                Name = "timer",
                StreamKey = 0,
                Interval = Sampler.Constant(1e9 / s.Vm.TimerHz),
                Periodic = true,
                Chain = chain,
            });
        }

        return new SimulationModel
        {
            Scenario = s,
            Reasons = reasons.ToArray(),
            GuestReasons = guest.ToArray(),
            WallSources = wall.ToArray(),
            VmCount = s.Vm.Count,
            VcpusPerVm = s.Vm.Vcpus,
            QemuThreads = s.Vm.QemuThreads,
            WarmupNs = s.Run.Warmup.Value,
            DurationNs = s.Run.Duration.Value,
            Notes = notes.ToArray(),
        };
    }

    private static Sampler IntervalSampler(Occurrence o, double ghz) =>
        o.Rate is { } rate
            ? rate > 0 ? Sampler.Exponential(1e9 / rate) : Sampler.Constant(double.PositiveInfinity)
            : o.Interval!.ToSampler(ghz);
}
