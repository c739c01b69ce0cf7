using System.Globalization;
using ExitSim.Calibration.Fitting;
using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Units;

namespace ExitSim.Calibration;

/// <summary>
/// Turns measurements into a runnable scenario (docs/calibration.md). It works per (reason, path): measured exit→entry
/// times become each row's <c>handle</c> (they already include any QEMU time and queueing, so each vCPU gets its own QEMU
/// thread to avoid counting waits twice); the hardware transitions the tools cannot see are added as <c>save</c>/<c>reenter</c>.
/// Counts become rates per second of guest time (guest-caused reasons) or of wall time (interrupts and timers). HLT keeps
/// its measured time, halted time included, so the scenario idles as the measured VM did.
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

    public static CalibrationResult Calibrate(IReadOnlyList<Measurement> measurements, CalibrationOptions o, CancellationToken cancel = default)
    {
        if (measurements.Count == 0) throw new ArgumentException("no measurements", nameof(measurements));
        var notes = new List<string>();
        var notesByKey = new Dictionary<string, string>();
        var vendor = measurements.Select(m => m.Vendor).FirstOrDefault(v => v is not null) ?? Vendor.Intel;
        var (vcpus, vcpuNote) = Vcpus(measurements, o);
        double ghz = o.Ghz ?? 2.0;

        var rows = Rows(measurements, vendor, o, notes, cancel);
        if (rows.Count == 0 && measurements.FirstOrDefault(m => m.UnitTests.Count > 0) is { } unitTests)
            return UnitTestCalibration.Calibrate(unitTests, o, vendor);
        if (rows.Count == 0) throw new CalibrationInputException(measurements[0].SourcePath, measurements[0].StartLine, 1, "no exit reasons to calibrate from");
        foreach (var m in measurements)
            notes.AddRange(m.Notes.Select(n => $"{Path.GetFileName(m.SourcePath)}: {n}"));

        var missingRate = rows.FirstOrDefault(r => r.Fit.Rate.PerSecond is null);
        if (missingRate is not null)
            throw new CalibrationInputException(missingRate.From.SourcePath, missingRate.Reason.SourceLine, 1,
                $"{missingRate.From.Format.Name()} output does not say how long it recorded: give --interval (e.g. --interval 10s, the 'sleep 10' of perf kvm stat record, or live mode's -d)");
        notes.Add(vcpuNote);
        if (o.IntervalSeconds is null)
            foreach (var m in measurements.Where(m => m.IntervalSeconds is > 0 && rows.Any(r => r.From == m && r.Reason.RatePerSecond is null)))
                notes.Add($"window: {UnitFormat.Time(m.IntervalSeconds!.Value * 1e9)} as {Path.GetFileName(m.SourcePath)} states it{(m.Format == MeasurementFormat.Ftrace ? " (first to last event)" : "")}; --interval overrides");

        // Guest time per vCPU and second: what is left after exits (transitions included) and halted time.
        var costs = rows.Select(r => CostChoice.For(r, ghz, o.AssumedCv)).ToList();
        double transitions = o.Save.Resolve(ghz) + o.Reenter.Resolve(ghz);
        double busy = rows.Select((r, i) => r.TotalRate * (costs[i].Handle.Mean(ghz) + transitions) / 1e9).Sum() / vcpus;
        var first = rows[0];
        if (busy > 0.99)
            throw new CalibrationInputException(first.From.SourcePath, first.Reason.SourceLine, 1,
                $"the measured exit and halted time is {busy:P0} of {vcpus} vCPU(s) × the interval: check --interval and --vcpus ({vcpuNote})");
        double perVcpu = rows.Sum(r => r.TotalRate) / vcpus;
        if (perVcpu > 3e6)
            throw new CalibrationInputException(first.From.SourcePath, first.Reason.SourceLine, 1,
                $"{UnitFormat.Rate(perVcpu)} exits per vCPU is implausible (an exit costs at least ~0.3 µs): check --interval and --vcpus; debugfs counters are totals since boot, so their interval is the uptime");
        double guest = 1 - busy;
        double halted = rows.Select((r, i) => r.Fit.IsIdleTime && r.Fit.Distribution is not null ? r.TotalRate * costs[i].Handle.Mean(ghz) / 1e9 : 0).Sum() / vcpus;
        notes.Add($"guest time: {guest:P1} of each vCPU, halted {halted:P1}, exits {busy - halted:P1} (of {vcpus} vCPU(s)); guest-caused rates are per second of guest time, and run reports the same guest share");

        var calibrated = new List<CalibratedPath>();
        var summary = new List<CalibrationRow>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            // Only causes that find the vCPU in the guest show up as exits (the rest are injected at the
            // next entry), so wall-clock arrivals are also observed at the guest-time rate (PASTA).
            double rate = r.TotalRate / (vcpus * guest);
            string rateNote = r.IsWallClock
                ? $"{r.Source}: {r.Reason.Count} exits, {UnitFormat.Rate(r.TotalRate)} over {vcpus} vCPU(s); arrivals per vCPU per wall second, of which the {guest:P0} that find the guest running exit"
                : $"{r.Source}: {r.Reason.Count} exits, {UnitFormat.Rate(r.TotalRate)} over {vcpus} vCPU(s) → per vCPU per guest second";
            calibrated.Add(new CalibratedPath(r, rate, r.IsWallClock ? OccurrenceClock.Wall : OccurrenceClock.Guest, costs[i], rateNote));
            summary.Add(new CalibrationRow(r.Info.Name, r.PathName, r.Reason.Count, r.TotalRate, r.IsWallClock ? "wall" : "guest",
                costs[i].Family, costs[i].Parameters, costs[i].Ks, r.Source, r.Fit.Note));
        }

        var scenario = new Scenario
        {
            Name = o.Name,
            Description = "Calibrated by exitsim calibrate from " + string.Join(", ", measurements.Select(m => Path.GetFileName(m.SourcePath)).Distinct()),
            Host = new HostSpec { Vendor = vendor, Ghz = ghz, Cores = Math.Max(2, 2 * vcpus), Features = new[] { vendor == Vendor.Intel ? "ept" : "npt" }.ToEquatableArray() },
            Costs = new PhaseCosts { Save = new ConstantDistribution(o.Save), Reenter = new ConstantDistribution(o.Reenter) },
            Vm = new VmSpec { Vcpus = vcpus, QemuThreads = QemuThreadMode.PerVcpu },
            Exits = ExitSpecs.Build(calibrated, notesByKey).ToEquatableArray(),
            Run = new RunSpec { Duration = Quantity.Ns(RunDurationNs(rows, o)), Warmup = Quantity.Ns(1e8), Replications = 5, Seed = 1 },
        };
        notesByKey["host.ghz"] = o.Ghz is null ? "assumed (give --ghz): converts the cycle costs below" : "given with --ghz";
        notesByKey["host.cores"] = "assumed: two host cores per vCPU, so the host scheduler never delays a vCPU";
        notesByKey["vm.vcpus"] = vcpuNote;
        notesByKey["vm.qemu_threads"] = "measured exit times already contain QEMU waits: per-vcpu avoids counting them twice";
        notesByKey["vm.timer_hz"] = "timer exits are taken from the measurement as PREEMPTION_TIMER/interrupt rates";
        if (halted > 0)
            notesByKey["vm.halt_poll"] = "unused without a workload: the measured halted time is inside HLT's handle below";
        notesByKey["run.duration"] = "as long as the measurement (at least 1s, at most a million exits per replication): long, rare exits such as HLT's need it for a stable mean";
        notesByKey["costs.save"] = "assumed: hardware exit half, invisible to tracepoints (kvm_exit fires after it); half of a VM exit+entry of 400–800 cycles";
        notesByKey["costs.reenter"] = "assumed: hardware entry half, invisible to tracepoints (kvm_entry fires before it)";
        foreach (var m in measurements)
            if (m.SkippedLines.Count > 0)
                notes.Add($"{Path.GetFileName(m.SourcePath)}: skipped {m.SkippedLines.Count} line(s): " +
                          string.Join(", ", m.SkippedLines.Take(5).Select(l => l.Line.ToString(Inv))) + (m.SkippedLines.Count > 5 ? ", …" : ""));
        return new CalibrationResult(scenario, notesByKey, summary, notes);
    }

    /// <summary>The measured window, within [1 s, the time a million exits take]: a heavy-tailed HLT time needs many exits to average out.</summary>
    private static double RunDurationNs(List<PathRow> rows, CalibrationOptions o)
    {
        var window = o.IntervalSeconds ?? rows.Select(r => r.Fit.Rate.IntervalSeconds).Max() ?? 1;
        var millionExits = 1e6 / Math.Max(1, rows.Sum(r => r.TotalRate));
        return CleanNumbers.TimeNs(Math.Max(1, Math.Min(window, millionExits)) * 1e9);
    }

    /// <summary>--vcpus, else the vCPU threads a trace shows, else 1; with the sentence that says which.</summary>
    private static (int Count, string Note) Vcpus(IReadOnlyList<Measurement> measurements, CalibrationOptions o)
    {
        if (o.Vcpus is { } given) return (given, $"vCPUs: {given}, given with --vcpus");
        if (measurements.FirstOrDefault(m => m.Vcpus is not null) is { } m)
            return (m.Vcpus!.Count, $"vCPUs: {m.Vcpus.Count}, inferred from {Path.GetFileName(m.SourcePath)}: {m.Vcpus.Evidence}; --vcpus overrides");
        return (1, "vCPUs: assumed 1, the measurement does not name its vCPUs (give --vcpus; rates are per vCPU in scenarios)");
    }

    /// <summary>
    /// One row per (reason, path) over all measurements; the first source that has timing wins the cost, the first with a
    /// rate the rate. Rows without a measured path take the path KVM usually handles the reason on.
    /// </summary>
    private static List<PathRow> Rows(IReadOnlyList<Measurement> measurements, Vendor vendor, CalibrationOptions o, List<string> notes, CancellationToken cancel)
    {
        var rows = new List<PathRow>();
        foreach (var m in measurements)
            foreach (var measured in m.Reasons)
            {
                cancel.ThrowIfCancellationRequested();
                // Older kernels print INTERRUPT_WINDOW under its former name.
                var r = measured.Name == "PENDING_INTERRUPT" ? measured with { Name = "INTERRUPT_WINDOW" } : measured;
                if (ExitReasonCatalog.Find(vendor, r.Name) is not { } info)
                {
                    notes.Add($"{Path.GetFileName(m.SourcePath)}:{r.SourceLine}: skipped '{r.Name}' (not a {vendor.ToString().ToLowerInvariant()} exit reason ExitSim knows)");
                    continue;
                }

                var row = new PathRow(r, m, ReasonFitter.Fit(r, m, o.AssumedCv, o.IntervalSeconds), info, r.Path ?? info.TypicalPath);
                int existing = rows.FindIndex(x => x.Info.Name == info.Name && x.Path == row.Path);
                if (existing < 0) rows.Add(row);
                else if (rows[existing].Fit.Distribution is null && row.Fit.Distribution is not null) rows[existing] = row;
            }
        return rows;
    }
}
