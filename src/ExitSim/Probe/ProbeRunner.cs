using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ExitSim.Probe;

/// <summary>KVM cannot be used here; <see cref="Exception.Message"/> is the one-line reason (exit code 2).</summary>
public sealed class KvmUnavailableException(string reason) : Exception(reason);

/// <summary>How much to measure.</summary>
public sealed record ProbeOptions(int Repetitions, ushort ExitsPerRepetition, ushort BatchSize, int Batches, uint ComputeIterations, double EmulationDelayNs)
{
    public static ProbeOptions Quick { get; } = new(3, 2_000, 1_000, 20, 2_000_000, 2_000);
    public static ProbeOptions Full { get; } = new(10, 20_000, 10_000, 50, 20_000_000, 2_000);
}

/// <summary>
/// Runs the probe guests and builds a <see cref="HostProfile"/>. Every path gets its own VM. Cannot
/// run without /dev/kvm: <see cref="Run(bool)"/> throws <see cref="KvmUnavailableException"/>.
/// </summary>
public static class ProbeRunner
{
    /// <summary>A guest slower than half the host's speed is reported as nested or emulated.</summary>
    public const double SlowGuestRatio = 0.5;

    public static HostProfile Run(bool quick) => Run(quick ? ProbeOptions.Quick : ProbeOptions.Full);

    public static HostProfile Run(ProbeOptions options, TextWriter? log = null)
    {
        using var kvm = KvmHost.TryOpen(out string reason) ?? throw new KvmUnavailableException(reason);
        return Run(kvm, options, log);
    }

    public static HostProfile Run(KvmHost kvm, ProbeOptions options, TextWriter? log = null)
    {
        var info = HostInfo.Read();
        var warnings = new List<string>();
        var checks = new List<StatsCheck>();
        if (info.NestedHint is not null) warnings.Add(info.NestedHint);
        if (kvm.CheckExtension(KvmAbi.CapBinaryStatsFd) == 0)
            warnings.Add("KVM_GET_STATS_FD not supported (Linux < 5.14): exit counts are not cross-checked");
        bool ioeventfd = kvm.CheckExtension(KvmAbi.CapIoEventFd) != 0;
        if (!ioeventfd) warnings.Add("KVM_CAP_IOEVENTFD missing: in-kernel (ioeventfd) paths not measured");

        var paths = new List<PathMeasurement>();
        log?.WriteLine("probe: userspace PIO");
        paths.Add(MeasureUserspaceExits(kvm, options, mmio: false, checks));
        log?.WriteLine("probe: userspace MMIO");
        paths.Add(MeasureUserspaceExits(kvm, options, mmio: true, checks));
        log?.WriteLine("probe: HLT");
        paths.Add(MeasureHalt(kvm, options, checks));
        if (ioeventfd)
        {
            log?.WriteLine("probe: ioeventfd PIO and MMIO");
            paths.Add(MeasureIoEventFd(kvm, options, mmio: false, checks));
            paths.Add(MeasureIoEventFd(kvm, options, mmio: true, checks));
        }
        log?.WriteLine("probe: userspace PIO with emulation delay");
        var emulated = MeasureEmulatedPio(kvm, options);
        paths.Add(emulated);
        var pio = paths[0];
        double expected = pio.MedianNs + options.EmulationDelayNs;
        if (Math.Abs(emulated.MedianNs - expected) > 0.2 * expected + 1_000)
            warnings.Add($"emulated PIO took {emulated.MedianNs:0}ns, expected about {expected:0}ns (exit + {options.EmulationDelayNs:0}ns delay): the host is busy or the clock is unreliable");

        log?.WriteLine("probe: guest speed");
        var speed = MeasureGuestSpeed(kvm, options);
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
        foreach (var c in checks.Where(c => c.Verdict == CountVerdict.NotCounted))
            warnings.Add($"{c.Counter} is not counted by this kernel: it stayed 0 while the probe saw {c.Expected} such exits (not a measurement error)");
        bool noisy = paths.Any(p => p.Noisy);
        if (noisy)
            warnings.Add("repetitions disagree by more than 10 % on " + string.Join(", ", paths.Where(p => p.Noisy).Select(p => p.Name)) + ": the host is noisy, measure again on an idle host");
        return new HostProfile(info.Kernel, info.KvmModule, info.Cpu, DateTimeOffset.UtcNow, paths, speed.Ratio, speed.GuestNs, speed.HostNs, slow, emulatedHost, noisy,
            options.EmulationDelayNs, checks, warnings);
    }

    private static PathMeasurement MeasureUserspaceExits(KvmHost kvm, ProbeOptions o, bool mmio, List<StatsCheck> checks)
    {
        using var vm = kvm.CreateVm();
        var reps = new List<IReadOnlyList<double>>();
        ulong before = Counter(vm, mmio ? "mmio_exits" : "io_exits");
        ulong exits = 0;
        for (int rep = 0; rep < o.Repetitions; rep++)
        {
            vm.Load(mmio ? GuestPrograms.MmioLoop(GuestPrograms.UserspaceMmioOffset, o.ExitsPerRepetition)
                         : GuestPrograms.OutLoop(GuestPrograms.UserspacePort, o.ExitsPerRepetition));
            var samples = new List<double>(o.ExitsPerRepetition);
            long previous = 0;
            while (true)
            {
                var exit = vm.RunOnce();
                if (exit.Reason == KvmAbi.ExitHlt) break;
                if (exit.Reason == KvmAbi.ExitIo) exits += mmio ? 0UL : 1UL;
                if (exit.Reason == KvmAbi.ExitMmio) exits++;
                bool wanted = mmio
                    ? exit.Reason == KvmAbi.ExitMmio && exit.MmioAddress == GuestPrograms.UserspaceMmioAddress
                    : exit.Reason == KvmAbi.ExitIo && exit.Port == GuestPrograms.UserspacePort;
                if (wanted && previous != 0) samples.Add(Ns(exit.EndTimestamp - previous));
                previous = wanted ? exit.EndTimestamp : 0;
            }
            reps.Add(DropWarmup(samples));
        }
        ulong after = Counter(vm, mmio ? "mmio_exits" : "io_exits");
        if (before != ulong.MaxValue && after != ulong.MaxValue)
            checks.Add(new StatsCheck(mmio ? "mmio_exits" : "io_exits", exits, after - before));
        return mmio
            ? ProbeStatistics.Summarise(ProbePaths.UserspaceMmio, "exit to exit time of an MMIO write to unmapped GPA 0x10000 (KVM_EXIT_MMIO)", reps)
            : ProbeStatistics.Summarise(ProbePaths.UserspacePio, $"exit to exit time of out 0x{GuestPrograms.UserspacePort:x} (KVM_EXIT_IO)", reps);
    }

    private static PathMeasurement MeasureHalt(KvmHost kvm, ProbeOptions o, List<StatsCheck> checks)
    {
        using var vm = kvm.CreateVm();
        vm.Load(GuestPrograms.HaltLoop());
        ulong before = Counter(vm, "halt_exits");
        var reps = new List<IReadOnlyList<double>>();
        ulong halts = 0;
        for (int rep = 0; rep < o.Repetitions; rep++)
        {
            var samples = new List<double>(o.ExitsPerRepetition);
            long previous = 0;
            for (int i = 0; i < o.ExitsPerRepetition; i++)
            {
                var exit = vm.RunOnce();
                if (exit.Reason != KvmAbi.ExitHlt) { previous = 0; continue; }
                halts++;
                if (previous != 0) samples.Add(Ns(exit.EndTimestamp - previous));
                previous = exit.EndTimestamp;
            }
            reps.Add(DropWarmup(samples));
        }
        ulong after = Counter(vm, "halt_exits");
        if (before != ulong.MaxValue && after != ulong.MaxValue) checks.Add(new StatsCheck("halt_exits", halts, after - before));
        return ProbeStatistics.Summarise(ProbePaths.HltUserspace, "exit to exit time of hlt with no in-kernel LAPIC (KVM_EXIT_HLT)", reps);
    }

    private static PathMeasurement MeasureIoEventFd(KvmHost kvm, ProbeOptions o, bool mmio, List<StatsCheck> checks)
    {
        using var vm = kvm.CreateVm();
        vm.AddIoEventFd(mmio ? GuestPrograms.IoEventFdMmioAddress : GuestPrograms.IoEventFdPort, pio: !mmio);
        vm.Load(mmio ? GuestPrograms.MmioLoop(GuestPrograms.IoEventFdMmioOffset, o.BatchSize)
                     : GuestPrograms.OutLoop(GuestPrograms.IoEventFdPort, o.BatchSize));
        vm.DrainEventFds();
        var reps = new List<IReadOnlyList<double>>();
        ulong writes = 0, signalled = 0;
        for (int rep = 0; rep < o.Repetitions; rep++)
        {
            var samples = new List<double>(o.Batches);
            for (int b = 0; b < o.Batches; b++)
            {
                // One KVM_RUN: BatchSize writes handled in the kernel, then the exit on DonePort.
                var exit = vm.RunOnce();
                if (exit.Reason != KvmAbi.ExitIo || exit.Port != GuestPrograms.DonePort)
                    throw new KvmException($"ioeventfd probe: expected the exit on port 0x{GuestPrograms.DonePort:x}, got reason {exit.Reason} port 0x{exit.Port:x} (is the address claimed by ioeventfd?)");
                samples.Add(exit.Nanoseconds / o.BatchSize);
                writes += o.BatchSize;
                var halt = vm.RunOnce(); // hlt, then the program jumps back to its start
                if (halt.Reason != KvmAbi.ExitHlt) throw new KvmException($"ioeventfd probe: expected hlt, got reason {halt.Reason}");
                signalled += vm.DrainEventFds();
            }
            reps.Add(samples.Count > 2 ? samples.Skip(1).ToList() : samples);
        }
        checks.Add(new StatsCheck(mmio ? "ioeventfd_mmio_signals" : "ioeventfd_pio_signals", writes, signalled, CountSource.EventFd));
        string what = mmio ? $"MMIO write to GPA 0x{GuestPrograms.IoEventFdMmioAddress:x}" : $"out 0x{GuestPrograms.IoEventFdPort:x}";
        return ProbeStatistics.Summarise(mmio ? ProbePaths.IoEventFdMmio : ProbePaths.IoEventFdPio,
            $"{what} registered with KVM_IOEVENTFD, handled in the kernel (per write, {o.BatchSize} per KVM_RUN)", reps);
    }

    private static PathMeasurement MeasureEmulatedPio(KvmHost kvm, ProbeOptions o)
    {
        using var vm = kvm.CreateVm();
        long delayTicks = (long)(o.EmulationDelayNs * Stopwatch.Frequency / 1e9);
        var reps = new List<IReadOnlyList<double>>();
        for (int rep = 0; rep < o.Repetitions; rep++)
        {
            vm.Load(GuestPrograms.OutLoop(GuestPrograms.UserspacePort, o.ExitsPerRepetition));
            var samples = new List<double>(o.ExitsPerRepetition);
            long previous = 0;
            while (true)
            {
                var exit = vm.RunOnce();
                if (exit.Reason == KvmAbi.ExitHlt) break;
                if (exit.Reason != KvmAbi.ExitIo || exit.Port != GuestPrograms.UserspacePort) { previous = 0; continue; }
                if (previous != 0) samples.Add(Ns(exit.EndTimestamp - previous));
                previous = exit.EndTimestamp;
                SpinUntil(exit.EndTimestamp + delayTicks); // the "device emulation"
            }
            reps.Add(DropWarmup(samples));
        }
        return ProbeStatistics.Summarise(ProbePaths.UserspacePioEmulated,
            $"exit to exit time of out 0x{GuestPrograms.UserspacePort:x} with {o.EmulationDelayNs:0}ns of emulation in userspace", reps);
    }

    /// <summary>
    /// A one-cycle dependent loop (xor, dec, jnz) slower than this per iteration means the "host" CPU
    /// is itself emulated (a 1 GHz core takes 1 ns); the model name of QEMU's TCG CPU says so too.
    /// </summary>
    public const double NativeLoopNs = 3;

    public static bool IsEmulatedHost(string cpuModel, double hostLoopNs) =>
        cpuModel.Contains("TCG", StringComparison.Ordinal) || hostLoopNs > NativeLoopNs;

    /// <summary>The speed loop on both sides: medians of ns per iteration, and guest speed over host speed.</summary>
    public readonly record struct GuestSpeed(double GuestNs, double HostNs, double Ratio);

    /// <summary>
    /// Guest speed over host speed for the same loop (1 = native; below 0.5 = nested/emulated). The
    /// guest's time per iteration is the difference between runs of 2N and N iterations ÷ N, so the
    /// entry and exit around each run cancel.
    /// </summary>
    private static GuestSpeed MeasureGuestSpeed(KvmHost kvm, ProbeOptions o)
    {
        using var vm = kvm.CreateVm();
        GuestProgram[] programs = [GuestPrograms.ComputeLoop(o.ComputeIterations), GuestPrograms.ComputeLoop(2 * o.ComputeIterations)];
        var runs = new[] { new List<double>(), new List<double>() };
        // Short runs, so more of them than other paths: one stall of the host would sway a few.
        for (int rep = 0; rep < 3 * o.Repetitions + 1; rep++)
            for (int p = 0; p < 2; p++)
            {
                vm.Load(programs[p]);
                var exit = vm.RunOnce();
                if (exit.Reason != KvmAbi.ExitHlt) throw new KvmException($"compute loop: expected hlt, got reason {exit.Reason}");
                if (rep > 0) runs[p].Add(exit.Nanoseconds);
            }
        var guest = runs[1].Zip(runs[0], (twice, once) => Math.Max(twice - once, 1) / o.ComputeIterations).ToList();
        var host = new List<double>();
        for (int rep = 0; rep < o.Repetitions + 1; rep++)
        {
            long t0 = Stopwatch.GetTimestamp();
            HostLoop(o.ComputeIterations);
            long t1 = Stopwatch.GetTimestamp();
            if (rep > 0) host.Add(Ns(t1 - t0) / o.ComputeIterations);
        }
        double g = Median(guest), h = Median(host);
        return new GuestSpeed(g, h, Ratio(h, g));
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

    internal static void SpinUntil(long timestamp)
    {
        while (Stopwatch.GetTimestamp() < timestamp) Thread.SpinWait(1);
    }
}
