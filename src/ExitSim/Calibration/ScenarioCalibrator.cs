using System.Globalization;
using ExitSim.Calibration.Fitting;
using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Units;

namespace ExitSim.Calibration;

/// <summary>
/// Turns measurements into a runnable scenario. Measured exit→entry times become each reason's
/// <c>handle</c> (they already include any QEMU time and queueing, so each vCPU gets its own QEMU
/// thread to avoid counting waits twice); the hardware transitions the tools cannot see are added
/// as <c>save</c>/<c>reenter</c>. Counts become rates per second of guest time (guest-caused
/// reasons) or of wall time (interrupts and timers).
/// </summary>
public static class ScenarioCalibrator
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The measurement of a file that calibration uses: its first VM-exit table, preferring one that states its window.</summary>
    public static Measurement? Choose(IReadOnlyList<Measurement> fromFile)
    {
        var tables = fromFile.Select(m => CounterReasons.Derive(m) ?? m)
            .Where(m => (m.Reasons.Count > 0 || m.UnitTests.Count > 0) && (m.Table is null or "VM-EXIT" || m.UnitTests.Count > 0)).ToList();
        return tables.FirstOrDefault(m => m.IntervalSeconds is not null) ?? tables.FirstOrDefault();
    }

    public static CalibrationResult Calibrate(IReadOnlyList<Measurement> measurements, CalibrationOptions o)
    {
        if (measurements.Count == 0) throw new ArgumentException("no measurements", nameof(measurements));
        var notes = new List<string>();
        var notesByKey = new Dictionary<string, string>();
        var vendor = measurements.Select(m => m.Vendor).FirstOrDefault(v => v is not null) ?? Vendor.Intel;
        int vcpus = o.Vcpus ?? 1;
        if (o.Vcpus is null) notes.Add("--vcpus not given: assuming the measurement covers 1 vCPU (rates are per vCPU in scenarios)");
        double ghz = o.Ghz ?? 2.0;

        // One fit per reason; the first source that has timing wins the cost, the first with a rate the rate.
        var fits = new List<(ReasonMeasurement Reason, Measurement From, ReasonFit Fit)>();
        foreach (var m in measurements)
            foreach (var measured in m.Reasons)
            {
                // Older kernels print INTERRUPT_WINDOW under its former name.
                var r = measured.Name == "PENDING_INTERRUPT" ? measured with { Name = "INTERRUPT_WINDOW" } : measured;
                if (ExitReasonCatalog.Find(vendor, r.Name) is null)
                {
                    notes.Add($"{Path.GetFileName(m.SourcePath)}:{r.SourceLine}: skipped '{r.Name}' (not a {vendor.ToString().ToLowerInvariant()} exit reason ExitSim knows)");
                    continue;
                }
                var fit = ReasonFitter.Fit(r, m, o.AssumedCv, o.IntervalSeconds);
                int existing = fits.FindIndex(f => f.Reason.Name == r.Name);
                if (existing < 0) fits.Add((r, m, fit));
                else if (fits[existing].Fit.Distribution is null && fit.Distribution is not null) fits[existing] = (r, m, fit);
            }
        if (fits.Count == 0 && measurements.FirstOrDefault(m => m.UnitTests.Count > 0) is { } unitTests)
            return UnitTestCalibration.Calibrate(unitTests, o, vendor);
        if (fits.Count == 0) throw new CalibrationInputException(measurements[0].SourcePath, measurements[0].StartLine, 1, "no exit reasons to calibrate from");
        notes.AddRange(measurements.SelectMany(m => m.Notes.Where(n => n.Contains("kvm_exit events"))));

        var missingRate = fits.FirstOrDefault(f => f.Fit.Rate.PerSecond is null);
        if (missingRate.Fit is not null)
            throw new CalibrationInputException(missingRate.From.SourcePath, missingRate.Reason.SourceLine, 1,
                $"{missingRate.From.Format.Name()} output does not say how long it recorded: give --interval (e.g. --interval 10s, the 'sleep 10' of perf kvm stat record, or live mode's -d)");

        // Guest time per vCPU and second: what is left after exits (transitions included) and idle time.
        double transitions = o.Save.Resolve(ghz) + o.Reenter.Resolve(ghz);
        double busyPerSecond = 0;
        foreach (var (r, _, f) in fits)
        {
            double rate = f.Rate.PerSecond!.Value;
            double mean = r.MeanNs ?? (r.Durations is { Length: > 0 } d ? d.Average() : f.Distribution?.MeanNs ?? 0);
            busyPerSecond += rate * (mean + (f.IsIdleTime ? 0 : transitions)) / 1e9;
        }
        var first = fits[0];
        if (busyPerSecond / vcpus > 0.99)
            throw new CalibrationInputException(first.From.SourcePath, first.Reason.SourceLine, 1,
                $"the measured exit and halted time is {busyPerSecond / vcpus:P0} of {vcpus} vCPU(s) × the interval: check --interval and --vcpus");
        double perVcpu = fits.Sum(f => f.Fit.Rate.PerSecond!.Value) / vcpus;
        if (perVcpu > 3e6)
            throw new CalibrationInputException(first.From.SourcePath, first.Reason.SourceLine, 1,
                $"{UnitFormat.Rate(perVcpu)} exits per vCPU is implausible (an exit costs at least ~0.3 µs): check --interval and --vcpus; debugfs counters are totals since boot, so their interval is the uptime");
        double guestFraction = 1 - busyPerSecond / vcpus;
        notes.Add($"guest time: {guestFraction:P1} of each vCPU (what exits and halted time leave of {vcpus} vCPU(s)); guest-caused rates are per second of it");

        var exits = new List<ExitSpec>();
        var rows = new List<CalibrationRow>();
        foreach (var (r, m, f) in fits)
        {
            var info = ExitReasonCatalog.Find(vendor, r.Name)!;
            bool wall = info.Category is ExitCategory.Interrupt or ExitCategory.Timer;
            double total = f.Rate.PerSecond!.Value;
            // Only causes that find the vCPU in the guest show up as exits (the rest are injected at the
            // next entry), so wall-clock arrivals are also observed at the guest-time rate (PASTA).
            double rate = total / (vcpus * guestFraction);
            var path = f.Path ?? info.TypicalPath;
            string source = $"{Path.GetFileName(m.SourcePath)}:{r.SourceLine}";
            var (handle, family, parameters, ks, costNote) = Cost(r, f, info, ghz);
            exits.Add(new ExitSpec
            {
                Reason = r.Name,
                Occurrence = new Occurrence { Rate = Round(rate), Clock = wall ? OccurrenceClock.Wall : OccurrenceClock.Guest },
                Path = path,
                Costs = new PhaseCosts { Handle = handle, Emulate = path == ExitPath.Userspace ? new ConstantDistribution(Quantity.Ns(0)) : null },
            });
            notesByKey[$"{r.Name}.rate"] = wall
                ? $"{source}: {r.Count} exits, {UnitFormat.Rate(total)} over {vcpus} vCPU(s); arrivals per vCPU per wall second, of which the {guestFraction:P0} that find the guest running exit"
                : $"{source}: {r.Count} exits, {UnitFormat.Rate(total)} over {vcpus} vCPU(s) → per vCPU per guest second";
            notesByKey[$"{r.Name}.handle"] = costNote;
            if (path == ExitPath.Userspace)
                notesByKey[$"{r.Name}.emulate"] = "QEMU time is inside the measured exit→entry time above (each vCPU has its own QEMU thread)";
            rows.Add(new CalibrationRow(r.Name, r.Count, total, wall ? "wall" : "guest", family, parameters, ks, source, f.Note));
        }

        var scenario = new Scenario
        {
            Name = o.Name,
            Description = "Calibrated by exitsim calibrate from " + string.Join(", ", measurements.Select(m => Path.GetFileName(m.SourcePath)).Distinct()),
            Host = new HostSpec { Vendor = vendor, Ghz = ghz, Cores = Math.Max(2, 2 * vcpus), Features = new[] { vendor == Vendor.Intel ? "ept" : "npt" }.ToEquatableArray() },
            Costs = new PhaseCosts { Save = new ConstantDistribution(o.Save), Reenter = new ConstantDistribution(o.Reenter) },
            Vm = new VmSpec { Vcpus = vcpus, QemuThreads = QemuThreadMode.PerVcpu },
            Exits = exits.ToEquatableArray(),
            Run = new RunSpec { Duration = Quantity.Ns(1e9), Warmup = Quantity.Ns(1e8), Replications = 5, Seed = 1 },
        };
        notesByKey["host.ghz"] = o.Ghz is null ? "assumed (give --ghz): converts the cycle costs below" : "given with --ghz";
        notesByKey["host.cores"] = "assumed: the foundation model does not use host cores yet";
        notesByKey["vm.vcpus"] = o.Vcpus is null ? "assumed 1 (give --vcpus)" : "given with --vcpus";
        notesByKey["vm.qemu_threads"] = "measured exit times already contain QEMU waits: per-vcpu avoids counting them twice";
        notesByKey["vm.timer_hz"] = "timer exits are taken from the measurement as PREEMPTION_TIMER/interrupt rates";
        notesByKey["costs.save"] = "assumed: hardware exit half, invisible to tracepoints (docs/kvm-facts.md §1.1, §3.1)";
        notesByKey["costs.reenter"] = "assumed: hardware entry half, invisible to tracepoints (docs/kvm-facts.md §1.1, §3.1)";
        foreach (var m in measurements)
            if (m.SkippedLines.Count > 0)
                notes.Add($"{Path.GetFileName(m.SourcePath)}: skipped {m.SkippedLines.Count} line(s): " +
                          string.Join(", ", m.SkippedLines.Take(5).Select(l => l.Line.ToString(Inv))) + (m.SkippedLines.Count > 5 ? ", …" : ""));
        return new CalibrationResult(scenario, notesByKey, rows, notes);
    }

    private static double Round(double v) => v == 0 ? 0 : Math.Round(v, Math.Max(0, 4 - (int)Math.Floor(Math.Log10(Math.Abs(v)))));

    private static (Distribution Handle, string Family, string Parameters, double? Ks, string Note) Cost(
        ReasonMeasurement r, ReasonFit f, ExitReason info, double ghz)
    {
        if (f.IsIdleTime)
            return (new LogNormalDistribution(Quantity.Cycles(6000), 0.5), "assumed", "lognormal(mean=6000cyc, cv=0.5)", null,
                $"assumed: the measured {r.Name} time is halted (idle) time, not the cost of the exit; block + wake-up 'a few µs' (docs/kvm-facts.md §3.4)");
        if (f.Distribution is not { } d)
        {
            bool io = info.Category == ExitCategory.Io;
            var assumed = new LogNormalDistribution(Quantity.Ns(io ? 10_000 : 1_000), 1.0);
            return (assumed, "assumed", assumed.Format(), null,
                $"assumed: the source gives counts only; typical {(io ? "I/O" : "in-kernel")} exit time (docs/kvm-facts.md §3.2)");
        }
        Distribution dist = d.Family switch
        {
            DistributionFamily.Constant => new ConstantDistribution(Quantity.Ns(Round(d.MeanNs))),
            DistributionFamily.Exponential => new ExponentialDistribution(Quantity.Ns(Round(d.MeanNs))),
            DistributionFamily.Gamma => new GammaDistribution(Round(d.Shape!.Value), Quantity.Ns(Round(d.MeanNs))),
            DistributionFamily.Weibull => new WeibullDistribution(Round(d.Shape!.Value), Quantity.Ns(Round(d.Scale!.Value))),
            DistributionFamily.Empirical => new EmpiricalDistribution(Thin(d.Samples!).Select(v => Quantity.Ns(Round(v))).ToEquatableArray()),
            _ => new LogNormalDistribution(Quantity.Ns(Round(d.MeanNs)), Round(d.Cv ?? 0)),
        };
        string family = d.Family.ToString().ToLowerInvariant();
        string fit = d.Family == DistributionFamily.Empirical ? $"resampled from {Math.Min(200, d.Samples!.Length)} quantiles of {d.N} durations"
            : d.Ks is { } ks ? $"KS {ks.ToString("0.###", Inv)} (n={d.N})" : $"n={d.N}, from summary statistics (no per-exit samples for KS)";
        string truncated = d.Truncated ? "; measured min/max bound the fit, the scenario keeps its mean and cv" : "";
        return (dist, family, dist.Format(), d.Ks, $"{d.Provenance}; {fit}{truncated}");
    }

    /// <summary>At most 200 evenly spaced order statistics, so an empirical cost stays readable inline.</summary>
    private static double[] Thin(double[] sorted) =>
        sorted.Length <= 200 ? sorted : Enumerable.Range(0, 200).Select(i => sorted[(int)((i + 0.5) * sorted.Length / 200)]).ToArray();
}
