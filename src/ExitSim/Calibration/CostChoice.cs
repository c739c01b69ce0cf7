using ExitSim.Calibration.Fitting;
using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Units;

namespace ExitSim.Calibration;

/// <summary>
/// The handle cost of each calibrated row. Tracepoint tools time an exit from kvm_exit to kvm_entry, after the hardware
/// exit and before the entry, so a measured time is <c>handle</c> (save and reenter are added apart). Rules:
/// a fitted distribution is taken as fitted; HLT keeps its measured time, halted time included (the idle model,
/// docs/calibration.md); an exit a partial trace shows only in part is built by <see cref="PartialCost"/>; a count without
/// any time gets a typical cost for its reason and path, marked as assumed.
/// </summary>
internal static class CostChoice
{
    /// <summary>In-kernel exits of unknown time: ≈ 1 µs (perf kvm stat averages of MSR_WRITE, EXTERNAL_INTERRUPT, CPUID are 0.4–3 µs).</summary>
    private const double KernelExitNs = 1_000;

    /// <summary>
    /// In-kernel port I/O or MMIO (an in-kernel device, an ioeventfd): kvm-unit-tests outl_to_kernel takes 2,008 cycles
    /// end to end (Jitindar Singh, kvm@vger 2022), less the 600 cycles of the hardware exit and entry.
    /// </summary>
    public const double KernelIoCycles = 1_400;

    /// <summary>Userspace I/O exits of unknown time: 3–35 µs in perf kvm stat of QEMU-emulated devices; 10 µs is typical.</summary>
    private const double UserspaceIoNs = 10_000;

    public static CalibratedCost For(PathRow row, double ghz, double assumedCv)
    {
        var r = row.Reason;
        if (row.Fit.Distribution is { } d)
        {
            var dist = ToScenario(d);
            var fit = d.Family == DistributionFamily.Empirical ? $"mean-preserving bins of {d.N} durations"
                : d.Ks is { } ks ? $"KS {ks:0.###} (n={d.N})" : $"n={d.N}, from summary statistics (no per-exit samples for KS)";
            var truncated = d.Truncated ? "; measured min/max bound the fit, the scenario keeps its mean and cv" : "";
            var note = $"{d.Provenance}; {fit}{truncated}";
            if (row.Fit.IsIdleTime)
            {
                note = $"{row.Source}: measured exit→entry time, {UnitFormat.Time(d.MeanNs)} on average, is mostly time the vCPU was halted, not a cost; "
                       + "a scenario without a workload cannot halt, so it stays in HLT's handle and the run idles as the measured VM did (docs/calibration.md). " + note;
            }

            return new CalibratedCost(dist, d.Family.ToString().ToLowerInvariant(), dist.Format(), d.Ks, note);
        }

        if (row.Fit.IsIdleTime)
        {
            var idle = new LogNormalDistribution(Quantity.Cycles(6000), 0.5);
            return new CalibratedCost(idle, "assumed", idle.Format(), null,
                $"assumed: the source gives no {r.Name} time, so the halted time is unknown and the scenario does not idle; block + wake-up is 'a few µs' (Documentation/virt/kvm/halt-polling.rst)");
        }

        if (r.Partial is { } partial)
        {
            return PartialCost.For(row, partial, ghz, assumedCv);
        }

        var (assumed, why) = Typical(row);
        return new CalibratedCost(assumed, "assumed", assumed.Format(), null, $"assumed: the source gives counts only; {why}");
    }

    /// <summary>A typical cost for a reason on a path, when nothing about its time was measured.</summary>
    public static (Distribution Cost, string Why) Typical(PathRow row) =>
        (row.Info.Category, row.Path) switch
        {
            (ExitCategory.Io, ExitPath.Userspace) => (new LogNormalDistribution(Quantity.Ns(UserspaceIoNs), 1.0),
                "a QEMU-emulated I/O exit takes 3–35 µs in published perf kvm stat tables"),
            (ExitCategory.Io, ExitPath.Kernel) => (new LogNormalDistribution(Quantity.Cycles(KernelIoCycles), 0.5),
                "in-kernel port I/O takes 2,008 cycles end to end in kvm-unit-tests outl_to_kernel (kvm@vger 2022), less save and reenter"),
            _ => (new LogNormalDistribution(Quantity.Ns(KernelExitNs), 1.0),
                "in-kernel exits average 0.4–3 µs in published perf kvm stat tables"),
        };

    /// <summary>The fitted distribution in scenario syntax, numbers rounded for reading (<see cref="CleanNumbers"/>).</summary>
    private static Distribution ToScenario(FittedDistribution d) => d.Family switch
    {
        DistributionFamily.Constant => new ConstantDistribution(Quantity.Ns(CleanNumbers.TimeNs(d.MeanNs))),
        DistributionFamily.Exponential => new ExponentialDistribution(Quantity.Ns(CleanNumbers.TimeNs(d.MeanNs))),
        DistributionFamily.Gamma => new GammaDistribution(CleanNumbers.Number(d.Shape!.Value), Quantity.Ns(CleanNumbers.TimeNs(d.MeanNs))),
        DistributionFamily.Weibull => new WeibullDistribution(CleanNumbers.Number(d.Shape!.Value), Quantity.Ns(CleanNumbers.TimeNs(d.Scale!.Value))),
        DistributionFamily.Empirical => new EmpiricalDistribution(Bins(d.Samples!).Select(v => Quantity.Ns(CleanNumbers.TimeNs(v))).ToEquatableArray()),
        _ => new LogNormalDistribution(Quantity.Ns(CleanNumbers.TimeNs(d.MeanNs)), CleanNumbers.Number(d.Cv ?? 0)),
    };

    /// <summary>
    /// At most 200 values, so an empirical cost stays readable inline: the means of 200 runs of consecutive order
    /// statistics of (nearly) equal size. Unlike picking 200 quantiles, this keeps the mean of a long tail.
    /// </summary>
    internal static double[] Bins(double[] sorted)
    {
        const int Max = 200;
        if (sorted.Length <= Max)
        {
            return sorted;
        }

        var bins = new double[Max];
        for (var b = 0; b < Max; b++)
        {
            int from = (int)((long)b * sorted.Length / Max), to = (int)((long)(b + 1) * sorted.Length / Max);
            double sum = 0;
            for (var i = from; i < to; i++)
            {
                sum += sorted[i];
            }

            bins[b] = sum / (to - from);
        }

        return bins;
    }
}
