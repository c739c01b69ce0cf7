namespace ExitSim.Probe;

/// <summary>
/// One measured exit path: per-exit (or per-write) time in ns over all kept samples. The median is
/// the robust figure; the mean (without the slowest 1 %) is what a run of many exits adds up to
/// (exit times are right-skewed).
/// </summary>
public sealed record PathMeasurement(
    string Name,
    double MedianNs,
    double MeanNs,
    double P10Ns,
    double P90Ns,
    int Samples,
    double RepetitionSpreadPct,
    bool Noisy,
    string Description)
{
    /// <summary>Per iteration of the path's loop with the exit (mean over runs), when measured that way.</summary>
    public double? WithExitNs { get; init; }
    /// <summary>Per iteration of the same loop without the exit: subtracted from every sample.</summary>
    public double? LoopNs { get; init; }
    /// <summary>How the pilot sized it: repetitions × runs per repetition × loop iterations per run.</summary>
    public int Repetitions { get; init; }
    public int RunsPerRepetition { get; init; }
    public long Iterations { get; init; }
}

/// <summary>Who kept a count the probe checks: one of KVM's binary statistics, or an eventfd the probe reads itself.</summary>
public enum CountSource : byte { KvmStat, EventFd }

/// <summary>What a count check found.</summary>
public enum CountVerdict : byte
{
    /// <summary>The counter moved by what the guest did (give or take KVM's own few exits).</summary>
    Ok,
    /// <summary>
    /// A KVM statistic stayed 0 while the exits demonstrably happened (the probe saw them itself, or
    /// their eventfds fired): this kernel does not keep it (e.g. <c>io_exits</c> under kvm_pvm, whose
    /// PIO path does not increment it), which is not a measurement error.
    /// </summary>
    NotCounted,
    /// <summary>The counter moved, by the wrong amount: exits were lost or made that the probe did not expect.</summary>
    Mismatch,
}

/// <summary>
/// An exit count the guest made (as the probe saw it: the userspace exits it handled, the eventfd
/// signals it read) and the count KVM's binary stats or an eventfd reported.
/// </summary>
public sealed record StatsCheck(string Counter, ulong Expected, ulong Observed, CountSource Source = CountSource.KvmStat)
{
    public CountVerdict Verdict =>
        Observed >= Expected && Observed <= Expected + Expected / 100 + 16 ? CountVerdict.Ok // KVM may add a few exits of its own (the first entry, a stray interrupt): 1 % + 16
        : Observed == 0 && Expected > 0 && Source == CountSource.KvmStat ? CountVerdict.NotCounted
        : CountVerdict.Mismatch;

    public bool Ok => Verdict == CountVerdict.Ok;

    /// <summary>One line for warnings and the profile's comments.</summary>
    public string Describe() => Verdict switch
    {
        CountVerdict.Ok => $"{Counter}: expected {Expected}, counted {Observed} ok",
        CountVerdict.NotCounted => $"{Counter}: not counted by this kernel (it stayed 0 while the guest made {Expected})",
        _ => $"{Counter}: expected {Expected}, counted {Observed} MISMATCH",
    };
}

/// <summary>The result of <c>exitsim probe</c>: the host's measured exit costs.</summary>
public sealed record HostProfile(
    string Kernel,
    string KvmModule,
    string Cpu,
    DateTimeOffset MeasuredAt,
    IReadOnlyList<PathMeasurement> Paths,
    double GuestSpeedRatio,
    double GuestLoopNs,
    double HostLoopNs,
    bool SlowGuest,
    bool EmulatedHost,
    bool Noisy,
    double EmulationDelayNs,
    IReadOnlyList<StatsCheck> StatsChecks,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The time the probe was allowed (<see cref="ProbeOptions.BudgetSeconds"/>) and the time it took.</summary>
    public double BudgetSeconds { get; init; }
    public double ElapsedSeconds { get; init; }
    /// <summary>Guest-speed loop iterations per run (N; runs of N and 2N are compared).</summary>
    public long GuestLoopIterations { get; init; }

    public PathMeasurement? Path(string name) => Paths.FirstOrDefault(p => p.Name == name);
}

/// <summary>Names of the measured paths (the keys written under <c>paths:</c>).</summary>
public static class ProbePaths
{
    public const string UserspacePio = "userspace_pio";
    public const string UserspaceMmio = "userspace_mmio";
    public const string IoEventFdPio = "ioeventfd_pio";
    public const string IoEventFdMmio = "ioeventfd_mmio";
    public const string HltUserspace = "hlt_userspace";
    public const string UserspacePioEmulated = "userspace_pio_emulated";
}

/// <summary>Order statistics and the noise test used by the probe (pure, tested).</summary>
public static class ProbeStatistics
{
    /// <summary>Repetitions whose medians differ by more than this fraction of their median make a path noisy.</summary>
    public const double NoisySpread = 0.10;

    /// <summary>Quantile with linear interpolation between order statistics (type 7, as numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        double h = (sorted.Count - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// Rounds of paired measurements (one value per series per round) to keep: a round is dropped when any series'
    /// value lies more than 3 scaled MADs (1.4826 × the median absolute deviation, σ for a normal) from that series'
    /// median — a disturbance hit one of its runs. Means over the kept rounds stay additive across the series (the mean
    /// of a sum is the sum of the means; a sum of medians is not the median of a sum of skewed parts).
    /// </summary>
    public static bool[] UndisturbedRounds(IReadOnlyList<IReadOnlyList<double>> series)
    {
        int n = series.Count == 0 ? 0 : series[0].Count;
        var keep = Enumerable.Repeat(true, n).ToArray();
        foreach (var x in series)
        {
            var sorted = x.Order().ToArray();
            double median = Quantile(sorted, 0.5);
            double mad = 1.4826 * Quantile(x.Select(v => Math.Abs(v - median)).Order().ToArray(), 0.5);
            for (int i = 0; i < n; i++)
                if (Math.Abs(x[i] - median) > 3 * mad && mad > 0) keep[i] = false;
        }
        return keep;
    }

    /// <summary>The slowest samples left out of the mean: host interruptions (a preempted probe, an emulator's stall), not exit costs.</summary>
    public const double TrimmedFraction = 0.01;

    /// <summary>Mean of the sorted samples without the slowest <see cref="TrimmedFraction"/>.</summary>
    public static double TrimmedMean(IReadOnlyList<double> sorted)
    {
        int keep = sorted.Count - (int)(sorted.Count * TrimmedFraction);
        if (keep == 0) return double.NaN;
        double sum = 0;
        for (int i = 0; i < keep; i++) sum += sorted[i];
        return sum / keep;
    }

    /// <summary>Summarises repetitions of samples: median/p10/p90 and the trimmed mean over all, spread of repetition medians.</summary>
    public static PathMeasurement Summarise(string name, string description, IReadOnlyList<IReadOnlyList<double>> repetitions)
    {
        var all = repetitions.SelectMany(r => r).OrderBy(x => x).ToArray();
        var medians = repetitions.Where(r => r.Count > 0).Select(r => Quantile(r.OrderBy(x => x).ToArray(), 0.5)).ToArray();
        double median = Quantile(all, 0.5);
        double spread = medians.Length < 2 || median <= 0 ? 0 : (medians.Max() - medians.Min()) / median;
        return new PathMeasurement(name, median, TrimmedMean(all), Quantile(all, 0.1), Quantile(all, 0.9), all.Length,
            spread * 100, spread > NoisySpread, description);
    }
}
