using System.Diagnostics;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Probe.Validation;

/// <summary>
/// How long to run each validation workload for real (rounds of one batch with its exits, the same without them,
/// and a run of each probed path's loop), and how many replications to simulate.
/// </summary>
public sealed record ValidationOptions(int Batches, double BatchNs, int Replications)
{
    public static ValidationOptions Quick { get; } = new(12, 10e6, 3);
    public static ValidationOptions Full { get; } = new(30, 25e6, 5);
}

/// <summary>
/// <c>exitsim probe --validate</c>: each workload of <see cref="ValidationSuite"/> runs as a real KVM
/// guest (batches of requests, the host spinning the emulation delay on each userspace exit) and as
/// its ExitSim scenario, costed twice: from the profile (what a user predicts with), and from the same
/// probe loops run alongside the batches (what the host's exits cost while they ran). The first error
/// is the prediction's; the second is the model's, the host's drift since the profile taken out.
/// </summary>
public static class ValidationRunner
{
    public static ValidationReport Run(KvmHost kvm, string profilePath, ValidationOptions o, IReadOnlyList<ValidationWorkload>? workloads = null, TextWriter? log = null)
    {
        var profile = LoadProfile(profilePath);
        var outcomes = new List<ValidationOutcome>();
        foreach (var w in workloads ?? ValidationSuite.Default)
        {
            log?.WriteLine($"validate: {w.Name}");
            uint iterations = Iterations(w, profile);
            double estimate = EstimateRequestNs(w, profile);
            int requests = (int)Math.Clamp(o.BatchNs / estimate, 20, ushort.MaxValue);
            var real = Measure(kvm, w, iterations, (ushort)requests, o.Batches, profile, o.BatchNs / 4);
            var predicted = Predict(real.AsRun, profilePath, real.ComputeNs, estimate, o.Replications);
            var alongside = Predict(real.AsRun, profilePath, real.ComputeNs, estimate, o.Replications, AlongsideProfile(profile, real.Alongside));
            outcomes.Add(new ValidationOutcome(w, iterations, requests, o.Batches, real.MeanNs, real.Ci95Pct, real.Problems, real.Counters,
                predicted.Ns, predicted.Ci95Ns, predicted.Yaml)
            {
                ComputeNs = real.ComputeNs,
                AlongsideNs = alongside.Ns,
                Drift = real.Alongside.Select(a => new PathDrift(a.Path, profile.Path(a.Path)!.MeanOrMedianNs, a.MeanNs)).ToList(),
            });
        }
        return new ValidationReport(Path.GetFullPath(profilePath), profile.Noisy, profile.EmulatedHost, outcomes);
    }

    /// <summary>The profile, checked to have what validation needs.</summary>
    public static HostProfileRef LoadProfile(string profilePath)
    {
        var profile = HostProfileLoader.LoadFile(profilePath);
        if (profile.GuestLoopNs is null)
            throw new ScenarioException(profilePath, 1, 1, "the host profile has no 'guest_loop:' (written by exitsim probe since validation was added: probe again)");
        return profile;
    }

    /// <summary>Guest loop iterations that take the workload's compute time on this host.</summary>
    public static uint Iterations(ValidationWorkload w, HostProfileRef profile) =>
        (uint)Math.Clamp(Math.Round(w.ComputeNs / profile.GuestLoopNs!.Value), 1, uint.MaxValue);

    /// <summary>Compute plus each exit's mean round trip and emulation: sizes batches and runs.</summary>
    public static double EstimateRequestNs(ValidationWorkload w, HostProfileRef profile) =>
        w.ComputeNs + w.Exits.Sum(e => e.PerRequest * ((profile.Path(e.ProbePath)?.MeanOrMedianNs ?? 0) + e.EmulationNs));

    public static string ScenarioFileName(ValidationWorkload w) => $"validate-{w.Name}.yaml";

    public readonly record struct Prediction(double Ns, double Ci95Ns, string Yaml);

    /// <summary>
    /// ExitSim's time per request: the scenario's compute ÷ its simulated guest time fraction. The
    /// compute is the measured time of the request without its exit instructions, as a user would give
    /// it; the exits are costed from the profile.
    /// </summary>
    public static Prediction Predict(ValidationWorkload w, string profilePath, double computeNs, double estimateNs, int replications, HostProfileRef? costs = null)
    {
        // The scenario names the profile by file name, so it also works when saved next to it.
        string yaml = ValidationScenario.Yaml(w, Path.GetFileName(profilePath), computeNs, estimateNs, replications);
        string dir = Path.GetDirectoryName(Path.GetFullPath(profilePath))!;
        var scenario = ScenarioLoader.Parse(yaml, Path.Combine(dir, ScenarioFileName(w)));
        if (costs is not null) scenario = scenario with { Host = scenario.Host with { Profile = costs } };
        var report = ReportBuilder.Build(ExperimentRunner.Run(scenario));
        double f = report.GuestTimeFraction;
        double ci = report.GuestTimeFractionCi95 is { } c ? computeNs * c / (f * f) : 0;
        return new Prediction(computeNs / f, ci, yaml);
    }

    /// <summary>
    /// The profile with the paths measured alongside the batches in place of its own: each path's mean is the one
    /// measured, its median keeps the profile's median-to-mean ratio (the shape of single exits).
    /// </summary>
    public static HostProfileRef AlongsideProfile(HostProfileRef profile, IReadOnlyList<PathCost> alongside) =>
        profile with
        {
            Paths = profile.Paths.Select(p => alongside.FirstOrDefault(a => a.Path == p.Name) is { } a
                ? new ProfilePath(p.Name, a.MeanNs * p.MedianNs / p.MeanOrMedianNs, a.MeanNs)
                : p).ToEquatableArray(),
        };

    /// <summary>A probed path's mean cost measured alongside a workload's batches.</summary>
    public sealed record PathCost(string Path, double MeanNs);

    /// <summary>
    /// The time per request with its exits (mean over the undisturbed rounds) and its 95 % CI (± % of it), without them
    /// (the compute), each probed path's cost measured alongside, the count checks, and the workload as run (its
    /// emulation delays as actually spun).
    /// </summary>
    public readonly record struct Measurement(double MeanNs, double ComputeNs, double Ci95Pct, IReadOnlyList<string> Problems, IReadOnlyList<StatsCheck> Counters,
        IReadOnlyList<PathCost> Alongside, ValidationWorkload AsRun);

    /// <summary>
    /// Runs one warm-up round and <paramref name="batches"/> timed ones. A round is a batch (from the first KVM_RUN to
    /// the exit on the done port, ÷ requests), the same batch without its exit instructions, and for each path the
    /// workload takes, the probe's loop of <paramref name="loopRunNs"/> with the exit and without it (as
    /// <c>exitsim probe</c> measures it), so a host whose exit costs drift is measured at the same time as the
    /// workload. Exit counts are checked against the eventfds and KVM's stats.
    /// </summary>
    public static Measurement Measure(KvmHost kvm, ValidationWorkload w, uint iterations, ushort requests, int batches, HostProfileRef? profile = null, double loopRunNs = 2e6)
    {
        using var vm = kvm.CreateVm();
        int PerRequest(ProbeExit k) => w.Exits.FirstOrDefault(e => e.Kind == k)?.PerRequest ?? 0;
        double Delay(ProbeExit k) => w.Exits.FirstOrDefault(e => e.Kind == k)?.EmulationNs ?? 0;
        if (PerRequest(ProbeExit.IoEventFdPio) > 0) vm.AddIoEventFd(GuestPrograms.IoEventFdPort, pio: true);
        if (PerRequest(ProbeExit.IoEventFdMmio) > 0) vm.AddIoEventFd(GuestPrograms.IoEventFdMmioAddress, pio: false);
        var withExits = ValidationGuest.Build(w, iterations, requests);
        var compute = ValidationGuest.Build(w, iterations, requests, withExits: false);
        vm.DrainEventFds();
        // Each path's loop, sized from the profile's cost (or a slow host's) to last about loopRunNs.
        var loops = w.Exits.Select(e =>
        {
            double perIteration = (profile?.Path(e.ProbePath)?.MeanOrMedianNs ?? 10_000) + (profile?.GuestLoopNs ?? 1_000);
            return (Exit: e, Probe: new LoopProbe(vm, e.LoopExit), Iterations: (uint)Math.Clamp(loopRunNs / perIteration, 16, 1_000_000), Costs: new List<double>(batches));
        }).ToArray();

        var problems = new List<string>();
        ulong ioBefore = ProbeRunner.Counter(vm, "io_exits"), mmioBefore = ProbeRunner.Counter(vm, "mmio_exits");
        var run = new GuestRun(vm, Delay(ProbeExit.UserspacePio), Delay(ProbeExit.UserspaceMmio));
        // Batches and loops are timed in the thread's CPU time: another task holding the CPU is not the guest's time.
        double RunBatch(GuestProgram program)
        {
            run.Run(program);
            return run.LastCpuNs / requests;
        }
        var perRequest = new List<double>(batches);
        var computePerRequest = new List<double>(batches);
        for (int b = 0; b <= batches; b++)
        {
            double with = RunBatch(withExits), without = RunBatch(compute);
            foreach (var l in loops)
            {
                double loopWith = l.Probe.RunCpu(l.Iterations, withExit: true), loopWithout = l.Probe.RunCpu(l.Iterations, withExit: false);
                if (b > 0) l.Costs.Add((loopWith - loopWithout) / l.Iterations);
            }
            if (b == 0) continue; // warm-up
            perRequest.Add(with);
            computePerRequest.Add(without);
        }

        long batchesRun = batches + 1L;
        void Check(string what, long expected, long seen)
        {
            if (expected != seen) problems.Add($"{what}: expected {expected}, saw {seen}");
        }
        long loopPio = loops.Sum(l => l.Probe.IoSeen), loopMmio = loops.Sum(l => l.Probe.MmioSeen), loopKernel = loops.Sum(l => l.Probe.KernelWrites);
        // The loops count their own exits (each runs through its own GuestRun and reads back its own eventfd signals).
        Check("userspace port writes", batchesRun * requests * PerRequest(ProbeExit.UserspacePio), run.UserspacePio);
        Check("userspace MMIO writes", batchesRun * requests * PerRequest(ProbeExit.UserspaceMmio), run.MmioSeen);
        Check("ioeventfd signals", batchesRun * requests * (PerRequest(ProbeExit.IoEventFdPio) + PerRequest(ProbeExit.IoEventFdMmio)) + loopKernel,
            (long)(run.Signalled + (ulong)loops.Sum(l => (long)l.Probe.Signalled)));
        ulong ioAfter = ProbeRunner.Counter(vm, "io_exits"), mmioAfter = ProbeRunner.Counter(vm, "mmio_exits");
        var deltas = new Dictionary<string, ulong>();
        if (ioBefore != ulong.MaxValue && ioAfter != ulong.MaxValue) deltas["io_exits"] = ioAfter - ioBefore;
        if (mmioBefore != ulong.MaxValue && mmioAfter != ulong.MaxValue) deltas["mmio_exits"] = mmioAfter - mmioBefore;
        // Every port write the loops made exits too: their userspace ones and done ports (IoSeen), their ioeventfd ones.
        long portExits = batchesRun * requests * (long)(PerRequest(ProbeExit.UserspacePio) + PerRequest(ProbeExit.IoEventFdPio)) + (run.IoSeen - run.UserspacePio)
            + loopPio + loops.Where(l => l.Exit.Kind == ProbeExit.IoEventFdPio).Sum(l => l.Probe.KernelWrites);
        var counters = CounterChecks(portExits, batchesRun * requests * PerRequest(ProbeExit.UserspaceMmio) + loopMmio, deltas);
        problems.AddRange(counters.Where(c => c.Verdict == CountVerdict.Mismatch).Select(c => $"KVM counted {c.Observed} {c.Counter}, the guest made {c.Expected}"));
        // Means over the rounds no disturbance hit: the time with exits, the compute and each path's cost add up as the
        // scenario adds them (medians of skewed parts would not).
        var keep = ProbeStatistics.UndisturbedRounds([perRequest, computePerRequest, .. loops.Select(l => (IReadOnlyList<double>)l.Costs)]);
        double[] Kept(List<double> x) => x.Where((_, i) => keep[i]).ToArray();
        var kept = Kept(perRequest);
        double mean = kept.Average();
        double sd = kept.Length < 2 ? double.PositiveInfinity : Math.Sqrt(kept.Sum(x => (x - mean) * (x - mean)) / (kept.Length - 1));
        double ci = 100 * 1.96 * sd / Math.Sqrt(kept.Length) / mean;
        var alongside = loops.Select(l => new PathCost(l.Exit.ProbePath, Kept(l.Costs).Average())).ToList();
        // The emulation as spun, per exit (the delay asked for plus the spin's overshoot): what the scenario is given.
        var spun = w.Exits.Where(e => e.Userspace && e.EmulationNs > 0).Select(e =>
            e with { EmulationNs = (e.Pio ? run.PioEmulationNs : run.MmioEmulationNs) / (batchesRun * requests * e.PerRequest) }).ToList();
        var measured = w with { Exits = w.Exits.Select(e => spun.FirstOrDefault(x => x.Kind == e.Kind) ?? e).ToList() };
        return new Measurement(mean, Kept(computePerRequest).Average(), ci, problems, counters, alongside, measured);
    }

    /// <summary>
    /// KVM's statistics (<paramref name="deltas"/>: how much each moved; absent = not exposed) against the
    /// exits the guest made, counts this process confirmed itself (the userspace exits it handled, the
    /// eventfd signals it read). Every port write exits to KVM, ioeventfd-claimed ones too (VMX
    /// handle_io and SVM io_interception both increment io_exits), and the done port once per batch;
    /// MMIO exits that reach userspace increment mmio_exits. A statistic that stayed 0 is one this
    /// kernel does not keep (kvm_pvm's io_exits); a wrong non-zero count is a problem.
    /// </summary>
    public static IReadOnlyList<StatsCheck> CounterChecks(long portExits, long userspaceMmioExits, IReadOnlyDictionary<string, ulong> deltas)
    {
        var checks = new List<StatsCheck>();
        if (deltas.TryGetValue("io_exits", out ulong io)) checks.Add(new StatsCheck("io_exits", (ulong)portExits, io));
        if (deltas.TryGetValue("mmio_exits", out ulong mmio)) checks.Add(new StatsCheck("mmio_exits", (ulong)userspaceMmioExits, mmio));
        return checks;
    }
}
