using System.Diagnostics;
using System.Runtime.CompilerServices;
using ExitSim.Units;

namespace ExitSim.Probe;

/// <summary>KVM cannot be used here; <see cref="Exception.Message"/> is the one-line reason (exit code 2).</summary>
public sealed class KvmUnavailableException(string reason) : Exception(reason);

/// <summary>
/// How much to measure: the whole probe's time budget (every step is sized by a pilot run to fit
/// it, on a bare-metal host as on one whose guest instructions take microseconds), repetitions per
/// path, runs per repetition for paths timed per run (ioeventfd), and the emulation delay of
/// <c>userspace_pio_emulated</c>.
/// </summary>
public sealed record ProbeOptions(double BudgetSeconds, int Repetitions, int KernelRuns, double EmulationDelayNs)
{
    public static ProbeOptions Quick { get; } = new(15, 3, 8, 2_000);
    public static ProbeOptions Full { get; } = new(60, 10, 20, 2_000);
}

/// <summary>
/// Runs the probe guests and builds a <see cref="HostProfile"/>. Every path gets its own VM and is
/// measured as its loop with the exit minus the same loop without it (<see cref="GuestPrograms.ExitLoop"/>).
/// Cannot run without /dev/kvm: <see cref="Run(bool)"/> throws <see cref="KvmUnavailableException"/>.
/// </summary>
public static class ProbeRunner
{
    /// <summary>A guest slower than half the host's speed is reported as nested or emulated.</summary>
    public const double SlowGuestRatio = 0.5;

    /// <summary>
    /// Share of the budget the measuring steps plan for (the rest covers VM set-up and pilot runs,
    /// which under an emulated CPU take seconds), and the least a step gets when earlier ones overran.
    /// </summary>
    private const double PlannedShare = 0.55, StepFloorShare = 0.02;

    /// <summary>Loop iterations per run, at most: per-exit samples are kept in memory; kernel paths need none.</summary>
    private const uint MaxTimedExits = 1 << 20, MaxRunIterations = 1 << 28;

    public static HostProfile Run(bool quick) => Run(quick ? ProbeOptions.Quick : ProbeOptions.Full);

    public static HostProfile Run(ProbeOptions options, TextWriter? log = null)
    {
        using var kvm = KvmHost.TryOpen(out string reason) ?? throw new KvmUnavailableException(reason);
        return Run(kvm, options, log);
    }

    public static HostProfile Run(KvmHost kvm, ProbeOptions options, TextWriter? log = null)
    {
        var clock = Stopwatch.StartNew();
        var info = HostInfo.Read();
        var warnings = new List<string>();
        var checks = new List<StatsCheck>();
        if (info.NestedHint is not null) warnings.Add(info.NestedHint);
        if (kvm.CheckExtension(KvmAbi.CapBinaryStatsFd) == 0)
            warnings.Add("KVM_GET_STATS_FD not supported (Linux < 5.14): exit counts are not cross-checked");
        bool ioeventfd = kvm.CheckExtension(KvmAbi.CapIoEventFd) != 0;
        if (!ioeventfd) warnings.Add("KVM_CAP_IOEVENTFD missing: in-kernel (ioeventfd) paths not measured");

        var steps = new List<(LoopExit Exit, string Name, double DelayNs, string What)>
        {
            (LoopExit.UserspacePio, ProbePaths.UserspacePio, 0, $"out 0x{GuestPrograms.UserspacePort:x} (KVM_EXIT_IO), exit to exit"),
            (LoopExit.UserspaceMmio, ProbePaths.UserspaceMmio, 0, $"MMIO write to unmapped GPA 0x{GuestPrograms.UserspaceMmioAddress:x} (KVM_EXIT_MMIO), exit to exit"),
            (LoopExit.Hlt, ProbePaths.HltUserspace, 0, "hlt with no in-kernel LAPIC (KVM_EXIT_HLT), exit to exit"),
        };
        if (ioeventfd)
        {
            steps.Add((LoopExit.IoEventFdPio, ProbePaths.IoEventFdPio, 0, $"out 0x{GuestPrograms.IoEventFdPort:x} registered with KVM_IOEVENTFD, handled in the kernel (per write)"));
            steps.Add((LoopExit.IoEventFdMmio, ProbePaths.IoEventFdMmio, 0, $"MMIO write to GPA 0x{GuestPrograms.IoEventFdMmioAddress:x} registered with KVM_IOEVENTFD, handled in the kernel (per write)"));
        }
        steps.Add((LoopExit.UserspacePio, ProbePaths.UserspacePioEmulated, options.EmulationDelayNs, $"out 0x{GuestPrograms.UserspacePort:x} with {options.EmulationDelayNs:0}ns of emulation in userspace, exit to exit"));

        // Each step gets an equal share of what is left of the planned budget, so a slow early step
        // leaves less to the later ones instead of overrunning the whole.
        int remaining = steps.Count + 1; // + the guest speed
        double StepNs() => Math.Max(StepFloorShare * options.BudgetSeconds * 1e9,
            (PlannedShare * options.BudgetSeconds * 1e9 - clock.Elapsed.TotalNanoseconds) / remaining--);

        var paths = new List<PathMeasurement>();
        foreach (var step in steps)
        {
            log?.WriteLine($"probe: {step.Name}");
            var m = MeasurePath(kvm, step.Exit, step.Name, step.What, step.DelayNs, StepNs(), options, checks);
            if (m.MedianNs <= 0 || m.MeanNs <= 0 || m.P10Ns <= 0)
            {
                warnings.Add($"{m.Name}: some samples are below the loop's own time ({UnitFormat.Time(m.LoopNs ?? 0)} per iteration; median {UnitFormat.Time(m.MedianNs)}, mean {UnitFormat.Time(m.MeanNs)}, p10 {UnitFormat.Time(m.P10Ns)}): the host stalled; times below 1ns recorded as 1ns, measure again on an idle host");
                m = m with { MedianNs = Math.Max(1, m.MedianNs), MeanNs = Math.Max(1, m.MeanNs), P10Ns = Math.Max(1, m.P10Ns), P90Ns = Math.Max(1, m.P90Ns), Noisy = true };
            }
            paths.Add(m);
        }
        var pio = paths[0];
        var emulated = paths[^1];
        double expected = pio.MedianNs + options.EmulationDelayNs;
        if (Math.Abs(emulated.MedianNs - expected) > 0.2 * expected + 1_000)
            warnings.Add($"emulated PIO took {emulated.MedianNs:0}ns, expected about {expected:0}ns (exit + {options.EmulationDelayNs:0}ns delay): the host is busy or the clock is unreliable");

        log?.WriteLine("probe: guest speed");
        var speed = MeasureGuestSpeed(kvm, options, StepNs());
        bool slow = speed.Ratio < SlowGuestRatio;
        if (slow)
            warnings.Add($"the guest runs at {speed.Ratio:P0} of host speed: nested or emulated virtualisation, these exit costs are not bare-metal ones");
        bool emulatedHost = IsEmulatedHost(info.Cpu, speed.HostNs);
        if (emulatedHost)
            warnings.Add((info.Cpu.Contains("TCG", StringComparison.Ordinal)
                             ? $"this host's CPU is emulated ({info.Cpu})"
                             : $"this host's CPU looks emulated (a one-cycle loop takes {speed.HostNs:0.0}ns per iteration; a native core takes under {NativeLoopNs:0}ns)") +
                         ": guest and host are translated alike, so the guest speed ratio looks normal, but every VM entry and exit is emulated; the costs are the emulator's, not KVM's on hardware");

        foreach (var c in checks.Where(c => c.Verdict == CountVerdict.Mismatch))
            warnings.Add($"KVM counted {c.Observed} {c.Counter}, the probe expected {c.Expected}");
        foreach (var c in checks.Where(c => c.Verdict == CountVerdict.NotCounted).Select(c => c.Counter).Distinct())
            warnings.Add($"{c} is not counted by this kernel: it stayed 0 while the probe saw such exits (not a measurement error)");
        bool noisy = paths.Any(p => p.Noisy);
        if (noisy)
            warnings.Add("repetitions disagree by more than 10 % on " + string.Join(", ", paths.Where(p => p.Noisy).Select(p => p.Name)) + ": the host is noisy, measure again on an idle host");
        double elapsed = clock.Elapsed.TotalSeconds;
        if (elapsed > options.BudgetSeconds)
            warnings.Add($"the probe took {elapsed:0.#}s, over its {options.BudgetSeconds:0}s budget (VM set-up or pilot runs were slower than planned)");
        return new HostProfile(info.Kernel, info.KvmModule, info.Cpu, DateTimeOffset.UtcNow, paths, speed.Ratio, speed.GuestNs, speed.HostNs, slow, emulatedHost, noisy,
            options.EmulationDelayNs, checks, warnings)
        {
            BudgetSeconds = options.BudgetSeconds,
            ElapsedSeconds = elapsed,
            GuestLoopIterations = speed.Iterations,
        };
    }

    /// <summary>
    /// One path in its own VM. A pilot doubles the loop's iterations until a run lasts long enough to
    /// time; then each repetition runs the loop with the exit and without it, sized so the step takes
    /// about <paramref name="stepNs"/>. Userspace exits (and HLT) are timed exit to exit, each sample
    /// less that repetition's loop time per iteration; kernel-handled writes never reach this process,
    /// so each run gives one sample: (with − without) ÷ iterations, the fixed entry and done-port exit
    /// cancelling.
    /// </summary>
    private static PathMeasurement MeasurePath(KvmHost kvm, LoopExit exit, string name, string what, double delayNs, double stepNs, ProbeOptions o, List<StatsCheck> checks)
    {
        using var vm = kvm.CreateVm();
        if (exit == LoopExit.IoEventFdPio) vm.AddIoEventFd(GuestPrograms.IoEventFdPort, pio: true);
        if (exit == LoopExit.IoEventFdMmio) vm.AddIoEventFd(GuestPrograms.IoEventFdMmioAddress, pio: false);
        vm.DrainEventFds();
        var probe = new LoopProbe(vm, exit, delayNs);
        ulong io0 = Counter(vm, "io_exits"), mmio0 = Counter(vm, "mmio_exits"), hlt0 = Counter(vm, "halt_exits");

        var stepClock = Stopwatch.StartNew();
        uint cap = probe.PerExitTimes ? MaxTimedExits : MaxRunIterations;
        int runs = probe.PerExitTimes ? 1 : o.KernelRuns;
        // A pilot run about a quarter of one planned run: long enough to time, short enough to fit.
        double pilotNs = Math.Clamp(stepNs / (4.0 * o.Repetitions * runs), 0.5e6, 50e6);
        uint n = 16;
        double with;
        while ((with = probe.Run(n, withExit: true)) < pilotNs && n < cap) n = Math.Min(cap, n * 2);
        // Per repetition: the loop with the exit once, without it once (kernel paths) or for 2N and N (userspace ones).
        double perIteration = (with + (probe.PerExitTimes ? 3 : 1) * probe.Run(n, withExit: false)) / n;
        // Never fewer iterations than the pilot found timeable.
        uint count = (uint)Math.Clamp(stepNs / (o.Repetitions * runs * perIteration), Math.Min(n, cap / 2), cap / 2);

        // A stall of the host only ever adds time, to a run with the exit or to one without it; so the
        // loop's time is the median over the step's repetitions, one stalled baseline cannot shift a
        // whole repetition's samples.
        var raw = new List<List<double>>(o.Repetitions);
        var withs = new List<double>();
        var loops = new List<double>();
        int done = 0;
        for (int rep = 0; rep < o.Repetitions; rep++)
        {
            // A host that slowed down since the pilot must not take the probe past its budget.
            if (rep >= 2 && stepClock.Elapsed.TotalNanoseconds > 1.5 * stepNs) break;
            done++;
            var samples = new List<double>(probe.PerExitTimes ? (int)count : runs);
            if (probe.PerExitTimes)
            {
                // The loop's time per iteration from runs of 2N and N, so the fixed entry and done-port
                // exit cancel (they are not small next to few iterations of a slow guest).
                // Run totals in the thread's CPU time: another task holding the CPU meanwhile is not the exit's cost.
                withs.Add(probe.RunCpu(count, withExit: true, samples) / count);
                loops.Add(Math.Max(0, probe.RunCpu(2 * count, withExit: false) - probe.RunCpu(count, withExit: false)) / count);
                samples = DropWarmup(samples).ToList();
            }
            else
            {
                // One run with the writes and one without, each over the same iterations: their fixed parts cancel.
                for (int r = 0; r < runs; r++)
                {
                    double w = probe.RunCpu(count, withExit: true), wo = probe.RunCpu(count, withExit: false);
                    samples.Add(w / count);
                    withs.Add(w / count);
                    loops.Add(wo / count);
                }
            }
            raw.Add(samples);
        }
        double loopNs = Median(loops);
        var reps = raw.Select(r => (IReadOnlyList<double>)r.Select(x => x - loopNs).ToList()).ToList();
        var summary = ProbeStatistics.Summarise(name, "", reps);
        // What many exits add up to: the loop with the exit minus the loop without it, over whole runs
        // (median over repetitions). Unlike the mean of exit-to-exit samples it keeps what recurs in
        // any long run — the host's timer ticks, a re-entry after a signal — which a guest pays too.
        if (probe.PerExitTimes) summary = summary with { MeanNs = Median(withs) - loopNs };

        ulong io1 = Counter(vm, "io_exits"), mmio1 = Counter(vm, "mmio_exits"), hlt1 = Counter(vm, "halt_exits");
        void Check(string counter, ulong before, ulong after, long expected)
        {
            if (before != ulong.MaxValue && after != ulong.MaxValue) checks.Add(new StatsCheck(counter, (ulong)expected, after - before));
        }
        switch (exit)
        {
            // Every port write exits to KVM, ioeventfd-claimed ones too: VMX handle_io and SVM io_interception increment io_exits.
            case LoopExit.UserspacePio or LoopExit.IoEventFdPio: Check("io_exits", io0, io1, probe.IoSeen + probe.KernelWrites); break;
            case LoopExit.UserspaceMmio: Check("mmio_exits", mmio0, mmio1, probe.MmioSeen); break;
            case LoopExit.Hlt: Check("halt_exits", hlt0, hlt1, probe.HltSeen); break;
        }
        if (exit is LoopExit.IoEventFdPio or LoopExit.IoEventFdMmio)
            checks.Add(new StatsCheck(exit == LoopExit.IoEventFdPio ? "ioeventfd_pio_signals" : "ioeventfd_mmio_signals", (ulong)probe.KernelWrites, probe.Signalled, CountSource.EventFd));

        return summary with
        {
            Description = $"{what}; net of the same loop without the exit",
            WithExitNs = Median(withs),
            LoopNs = loopNs,
            Repetitions = done,
            RunsPerRepetition = runs,
            Iterations = count,
        };
    }

    /// <summary>
    /// A one-cycle dependent loop (xor, dec, jnz) slower than this per iteration means the "host" CPU
    /// is itself emulated (a 1 GHz core takes 1 ns); the model name of QEMU's TCG CPU says so too.
    /// </summary>
    public const double NativeLoopNs = 3;

    public static bool IsEmulatedHost(string cpuModel, double hostLoopNs) =>
        cpuModel.Contains("TCG", StringComparison.Ordinal) || hostLoopNs > NativeLoopNs;

    /// <summary>The speed loop on both sides: medians of ns per iteration, guest speed over host speed, and N.</summary>
    public readonly record struct GuestSpeed(double GuestNs, double HostNs, double Ratio, long Iterations);

    /// <summary>
    /// Guest speed over host speed for the same loop (1 = native; below 0.5 = nested/emulated). The
    /// guest's time per iteration is the difference between runs of 2N and N iterations ÷ N, so the
    /// entry and exit around each run cancel. N is sized by a pilot to the step's time.
    /// </summary>
    private static GuestSpeed MeasureGuestSpeed(KvmHost kvm, ProbeOptions o, double stepNs)
    {
        using var vm = kvm.CreateVm();
        double RunGuest(uint iterations)
        {
            vm.Load(GuestPrograms.ComputeLoop(iterations));
            var exit = vm.RunOnce();
            if (exit.Reason != KvmAbi.ExitHlt) throw new KvmException($"compute loop: expected hlt, got reason {exit.Reason}");
            return exit.Nanoseconds;
        }
        // Short runs, so more of them than other paths: one stall of the host would sway a few.
        int reps = 3 * o.Repetitions;
        double pilotNs = Math.Clamp(stepNs / (4.0 * 3 * (reps + 1)), 0.5e6, 50e6);
        uint n = 1024;
        double t;
        while ((t = RunGuest(n)) < pilotNs && n < MaxRunIterations / 2) n *= 2;
        uint iterations = (uint)Math.Clamp(stepNs / ((reps + 1) * 3 * (t / n)), n, MaxRunIterations / 2);
        var guest = new List<double>();
        for (int rep = 0; rep <= reps; rep++)
        {
            double once = RunGuest(iterations), twice = RunGuest(2 * iterations);
            if (rep > 0) guest.Add(Math.Max(twice - once, 1) / iterations);
        }
        // The host loop is timed on its own scale: at least a millisecond a run.
        uint hostIterations = iterations;
        while (TimeHostLoop(hostIterations) < 1e6 && hostIterations < MaxRunIterations) hostIterations *= 2;
        var host = new List<double>();
        for (int rep = 0; rep < o.Repetitions; rep++) host.Add(TimeHostLoop(hostIterations) / hostIterations);
        double g = Median(guest), h = Median(host);
        return new GuestSpeed(g, h, Ratio(h, g), iterations);
    }

    private static double TimeHostLoop(uint iterations)
    {
        long t0 = Stopwatch.GetTimestamp();
        HostLoop(iterations);
        return Ns(Stopwatch.GetTimestamp() - t0);
    }

    private static double Median(IReadOnlyList<double> xs) => ProbeStatistics.Quantile(xs.OrderBy(x => x).ToArray(), 0.5);

    private static double Ratio(double hostNs, double guestNs) => guestNs > 0 ? hostNs / guestNs : double.NaN;

    /// <summary>Median host time per iteration over median guest time per iteration.</summary>
    public static double GuestSpeedRatio(IReadOnlyList<double> hostNsPerIteration, IReadOnlyList<double> guestNsPerIteration) =>
        Ratio(Median(hostNsPerIteration), Median(guestNsPerIteration));

    /// <summary>The host side of the guest-speed comparison: the guest loop's xor/dec/jnz in C#.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static uint HostLoop(uint iterations)
    {
        uint acc = 0;
        for (uint i = iterations; i != 0; i--) acc ^= i;
        return acc;
    }

    internal static double Ns(long ticks) => ticks * 1e9 / Stopwatch.Frequency;

    private static IReadOnlyList<double> DropWarmup(List<double> samples)
    {
        int drop = Math.Min(100, samples.Count / 10);
        return samples.Skip(drop).ToList();
    }

    internal static ulong Counter(ProbeVm vm, string name) =>
        vm.ReadVcpuStats() is { } stats && stats.TryGetValue(name, out var s) ? s.Value : ulong.MaxValue;

}
