using System.Diagnostics;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Probe.Validation;

/// <summary>How long to run each validation workload for real, and how many replications to simulate.</summary>
public sealed record ValidationOptions(int Batches, double BatchNs, int Replications)
{
    public static ValidationOptions Quick { get; } = new(5, 10e6, 3);
    public static ValidationOptions Full { get; } = new(15, 25e6, 5);
}

/// <summary>
/// <c>exitsim probe --validate</c>: each workload of <see cref="ValidationSuite"/> runs as a real KVM
/// guest (batches of requests, the host spinning the emulation delay on each userspace exit) and as
/// its ExitSim scenario costed from the profile; the time per request of both is compared.
/// </summary>
public static class ValidationRunner
{
    /// <summary>Batches of one workload whose times differ by more than this (of their median) were disturbed.</summary>
    public const double NoisySpreadPct = 10;

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
            var real = Measure(kvm, w, iterations, (ushort)requests, o.Batches);
            var predicted = Predict(w, profilePath, real.ComputeNs, estimate, o.Replications);
            outcomes.Add(new ValidationOutcome(w, iterations, requests, o.Batches, real.MedianNs, real.SpreadPct, real.Problems, real.Counters,
                predicted.Ns, predicted.Ci95Ns, predicted.Yaml) { ComputeNs = real.ComputeNs });
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
        w.ComputeNs + w.Exits.Sum(e => e.PerRequest * ((profile.Path(e.ProbePath) is { } p ? p.MeanNs ?? p.MedianNs : 0) + e.EmulationNs));

    public static string ScenarioFileName(ValidationWorkload w) => $"validate-{w.Name}.yaml";

    public readonly record struct Prediction(double Ns, double Ci95Ns, string Yaml);

    /// <summary>
    /// ExitSim's time per request: the scenario's compute ÷ its simulated guest time fraction. The
    /// compute is the measured time of the request without its exit instructions, as a user would give
    /// it; the exits are costed from the profile.
    /// </summary>
    public static Prediction Predict(ValidationWorkload w, string profilePath, double computeNs, double estimateNs, int replications)
    {
        // The scenario names the profile by file name, so it also works when saved next to it.
        string yaml = ValidationScenario.Yaml(w, Path.GetFileName(profilePath), computeNs, estimateNs, replications);
        string dir = Path.GetDirectoryName(Path.GetFullPath(profilePath))!;
        var scenario = ScenarioLoader.Parse(yaml, Path.Combine(dir, ScenarioFileName(w)));
        var report = ReportBuilder.Build(ExperimentRunner.Run(scenario));
        double f = report.GuestTimeFraction;
        double ci = report.GuestTimeFractionCi95 is { } c ? computeNs * c / (f * f) : 0;
        return new Prediction(computeNs / f, ci, yaml);
    }

    /// <summary>The time per request with its exits (median over batches) and without them (the compute), the batches' spread, and the count checks.</summary>
    public readonly record struct Measurement(double MedianNs, double ComputeNs, double SpreadPct, IReadOnlyList<string> Problems, IReadOnlyList<StatsCheck> Counters);

    /// <summary>
    /// Runs one warm-up batch and <paramref name="batches"/> timed ones, each followed by the same
    /// batch without its exit instructions: from the first KVM_RUN to the exit on the done port,
    /// ÷ requests. Exit counts are checked against the eventfds and KVM's stats.
    /// </summary>
    public static Measurement Measure(KvmHost kvm, ValidationWorkload w, uint iterations, ushort requests, int batches)
    {
        using var vm = kvm.CreateVm();
        int PerRequest(ProbeExit k) => w.Exits.FirstOrDefault(e => e.Kind == k)?.PerRequest ?? 0;
        double Delay(ProbeExit k) => w.Exits.FirstOrDefault(e => e.Kind == k)?.EmulationNs ?? 0;
        if (PerRequest(ProbeExit.IoEventFdPio) > 0) vm.AddIoEventFd(GuestPrograms.IoEventFdPort, pio: true);
        if (PerRequest(ProbeExit.IoEventFdMmio) > 0) vm.AddIoEventFd(GuestPrograms.IoEventFdMmioAddress, pio: false);
        var withExits = ValidationGuest.Build(w, iterations, requests);
        var compute = ValidationGuest.Build(w, iterations, requests, withExits: false);
        vm.DrainEventFds();

        var problems = new List<string>();
        ulong ioBefore = ProbeRunner.Counter(vm, "io_exits"), mmioBefore = ProbeRunner.Counter(vm, "mmio_exits");
        var run = new GuestRun(vm, Delay(ProbeExit.UserspacePio), Delay(ProbeExit.UserspaceMmio));
        double RunBatch(GuestProgram program) => run.Run(program) / requests;
        var perRequest = new List<double>(batches);
        var computePerRequest = new List<double>(batches);
        for (int b = 0; b <= batches; b++)
        {
            double with = RunBatch(withExits), without = RunBatch(compute);
            if (b == 0) continue; // warm-up
            perRequest.Add(with);
            computePerRequest.Add(without);
        }

        long batchesRun = batches + 1L;
        void Check(string what, long expected, long seen)
        {
            if (expected != seen) problems.Add($"{what}: expected {expected}, saw {seen}");
        }
        Check("userspace port writes", batchesRun * requests * PerRequest(ProbeExit.UserspacePio), run.UserspacePio);
        Check("userspace MMIO writes", batchesRun * requests * PerRequest(ProbeExit.UserspaceMmio), run.MmioSeen);
        Check("ioeventfd signals", batchesRun * requests * (PerRequest(ProbeExit.IoEventFdPio) + PerRequest(ProbeExit.IoEventFdMmio)), (long)run.Signalled);
        ulong ioAfter = ProbeRunner.Counter(vm, "io_exits"), mmioAfter = ProbeRunner.Counter(vm, "mmio_exits");
        var deltas = new Dictionary<string, ulong>();
        if (ioBefore != ulong.MaxValue && ioAfter != ulong.MaxValue) deltas["io_exits"] = ioAfter - ioBefore;
        if (mmioBefore != ulong.MaxValue && mmioAfter != ulong.MaxValue) deltas["mmio_exits"] = mmioAfter - mmioBefore;
        long portExits = batchesRun * requests * (long)(PerRequest(ProbeExit.UserspacePio) + PerRequest(ProbeExit.IoEventFdPio)) + (run.IoSeen - run.UserspacePio);
        var counters = CounterChecks(portExits, batchesRun * requests * PerRequest(ProbeExit.UserspaceMmio), deltas);
        problems.AddRange(counters.Where(c => c.Verdict == CountVerdict.Mismatch).Select(c => $"KVM counted {c.Observed} {c.Counter}, the guest made {c.Expected}"));
        var sorted = perRequest.OrderBy(x => x).ToArray();
        double median = ProbeStatistics.Quantile(sorted, 0.5);
        double spread = sorted.Length < 2 ? 0 : 100 * (sorted[^1] - sorted[0]) / median;
        return new Measurement(median, ProbeStatistics.Quantile(computePerRequest.Order().ToArray(), 0.5), spread, problems, counters);
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
