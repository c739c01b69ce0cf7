using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Units;
using FsCheck;
using FsCheck.Fluent;

namespace ExitSim.Tests.Scenarios;

/// <summary>Random valid scenarios for property tests (short runs, every feature of the schema).</summary>
public static class ScenarioGenerators
{
    private static Gen<Quantity> Time(int maxNs) =>
        from v in Gen.Choose(1, maxNs)
        from cycles in Gen.Elements(false, false, true)
        select cycles ? Quantity.Cycles(v * 2) : Quantity.Ns(v);

    private static Gen<Distribution> Cost(int maxNs)
    {
        var cv = Gen.Choose(1, 300).Select(v => v / 100.0);
        return Gen.OneOf(
            Time(maxNs).Select(q => (Distribution)new ConstantDistribution(q)),
            Time(maxNs).Select(q => (Distribution)new ExponentialDistribution(q)),
            Time(maxNs).Zip(cv).Select(t => (Distribution)new LogNormalDistribution(t.Item1, t.Item2)),
            Time(maxNs).Zip(cv).Select(t => (Distribution)new GammaDistribution(1 / (t.Item2 * t.Item2), t.Item1)),
            Gen.Choose(0, maxNs).Zip(Gen.Choose(0, maxNs)).Select(t => (Distribution)new UniformDistribution(Quantity.Ns(Math.Min(t.Item1, t.Item2)), Quantity.Ns(Math.Max(t.Item1, t.Item2)))),
            Gen.Choose(1, maxNs).Zip(Gen.Choose(1, maxNs)).Select(t => (Distribution)new TruncatedNormalDistribution(Quantity.Ns(t.Item1), Quantity.Ns(t.Item2))),
            Gen.NonEmptyListOf(Gen.Choose(0, maxNs).Select(v => Quantity.Ns(v))).Select(l => (Distribution)new EmpiricalDistribution(l.Take(20).ToEquatableArray())),
            Time(maxNs).Zip(Time(maxNs)).Select(t => (Distribution)new MixtureDistribution(new[]
                { new MixtureComponent(0.25, new ConstantDistribution(t.Item1)), new MixtureComponent(0.75, new ExponentialDistribution(t.Item2)) }.ToEquatableArray())));
    }

    private static Gen<Distribution?> Maybe(Gen<Distribution> g) => Gen.Frequency((1, Gen.Constant<Distribution?>(null)), (2, g.Select(d => (Distribution?)d)));

    private static readonly string[] Pool = ["IO_INSTRUCTION", "EPT_MISCONFIG", "EPT_VIOLATION", "MSR_WRITE", "EXTERNAL_INTERRUPT", "APIC_ACCESS", "HLT", "CPUID", "PAUSE_INSTRUCTION", "INTERRUPT_WINDOW"];

    private static Gen<ExitSpec> Exit(string reason) =>
        from path in Gen.Elements<ExitPath?>(null, ExitPath.Kernel, ExitPath.Userspace)
        from occ in Gen.OneOf(
            Gen.Constant<Occurrence?>(null),
            Gen.Choose(1, 200).Zip(Gen.Elements(OccurrenceClock.Guest, OccurrenceClock.Wall)).Select(t => (Occurrence?)new Occurrence { Rate = t.Item1 * 1000.0, Clock = t.Item2 }),
            Cost(200_000).Zip(Gen.Elements(OccurrenceClock.Guest, OccurrenceClock.Wall)).Select(t => (Occurrence?)new Occurrence { Interval = NoCycles(t.Item1), Clock = t.Item2 }))
        from save in Maybe(Cost(500))
        from handle in Maybe(Cost(5000))
        from emulate in Cost(20_000)
        from reenter in Maybe(Cost(500))
        let resolved = path ?? ExitReasonCatalog.Find(Vendor.Intel, reason)!.TypicalPath
        select new ExitSpec
        {
            Reason = reason, Path = path, Occurrence = occ,
            Costs = new PhaseCosts { Save = save, Handle = handle, Reenter = reenter, Emulate = resolved == ExitPath.Userspace ? emulate : null },
        };

    /// <summary>
    /// Intervals are guest or wall time (no cycles); keep their mean at 5 µs or more so that a random
    /// scenario has at most a few hundred thousand events per simulated second per vCPU.
    /// </summary>
    private static Distribution NoCycles(Distribution d) =>
        d.Format().Contains("cyc") || d.Mean(2) < 5_000 ? new ExponentialDistribution(Quantity.Ns(5_000 + d.Mean(2))) : d;

    public static Gen<Scenario> Scenario() =>
        from count in Gen.Choose(1, 2)
        from vcpus in Gen.Choose(1, 4)
        from mode in Gen.Elements(QemuThreadMode.PerVm, QemuThreadMode.PerVcpu)
        from timer in Gen.Elements(0.0, 100.0, 1000.0)
        from names in Gen.SubListOf(Pool).Where(l => l.Count > 0)
        from exits in Gen.CollectToSequence(names, Exit)
        from costs in Cost(800).Zip(Cost(3000)).Zip(Cost(800))
        from pageSize in Gen.Elements(4096L, 2L << 20, 1L << 30)
        from seed in Gen.Choose(0, int.MaxValue)
        from name in Gen.Elements("a", "web server", "db: prod", "x#1")
        let withTimer = timer > 0 ? exits.Append(new ExitSpec { Reason = "PREEMPTION_TIMER" }).ToList() : exits.ToList()
        let fixedUp = withTimer.Any(e => e.Occurrence is not null) || timer > 0
            ? withTimer
            : withTimer.Select((e, i) => i == 0 ? e with { Occurrence = new Occurrence { Rate = 50_000 } } : e).ToList()
        select new Scenario
        {
            Name = name,
            Description = name == "a" ? null : "random \"scenario\"",
            Host = new HostSpec { Vendor = Vendor.Intel, Ghz = 2.5, Cores = 8, Features = new[] { "ept" }.ToEquatableArray() },
            Costs = new PhaseCosts { Save = costs.Item1.Item1, Handle = costs.Item1.Item2, Reenter = costs.Item2 },
            Vm = new VmSpec { Count = count, Vcpus = vcpus, QemuThreads = mode, TimerHz = timer, PageSizeBytes = pageSize, MemoryBytes = 1L << 30 },
            Exits = fixedUp.ToEquatableArray(),
            Run = new RunSpec { Duration = Quantity.Ns(2e6), Warmup = Quantity.Ns(2e5), Replications = 2, Seed = (ulong)seed },
        };

    public static Arbitrary<Scenario> Scenarios() => Scenario().ToArbitrary();
}
