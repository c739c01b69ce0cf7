using ExitSim.Calibration;
using ExitSim.Calibration.Fitting;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace ExitSim.Tests.Calibration;

public sealed class LognormalMomentFitTests
{
    [Fact]
    public void Moments_fit_reproduces_mean_and_cv()
    {
        var cases =
            from mean in Gen.Choose(100, 1_000_000)
            from cvThousandths in Gen.Choose(20, 4000)
            from n in Gen.Choose(2, 2_000_000)
            select (Mean: (double)mean, Cv: cvThousandths / 1000.0, N: (long)n);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var summary = new SummaryStatistics { Count = c.N, MeanNs = c.Mean, RelStdErrPct = RelativeStandardError.FromCv(c.Cv, c.N) };

            var fit = LognormalMomentFit.Fit(summary, assumedCv: 99);

            Assert.Equal(DistributionFamily.Lognormal, fit.Family);
            Assert.Equal(c.Mean, fit.MeanNs, 1e-9 * c.Mean);
            Assert.Equal(c.Cv, fit.Cv!.Value, 1e-9);
            // The parameters the simulator draws with give the same moments.
            var drawn = new LogNormal(fit.LogMu!.Value, fit.LogSigma!.Value);
            Assert.Equal(c.Mean, drawn.Mean, 1e-6 * c.Mean);
            Assert.Equal(c.Cv, drawn.StdDev / drawn.Mean, 1e-6);
            Assert.False(fit.Truncated);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Missing_spread_uses_the_assumed_cv_and_says_so()
    {
        var fit = LognormalMomentFit.Fit(new SummaryStatistics { Count = 1, MeanNs = 5000, RelStdErrPct = 0 }, assumedCv: 0.5);

        Assert.Equal(0.5, fit.Cv);
        Assert.Contains("ASSUMED", fit.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounds_that_cut_the_fit_truncate_it_and_keep_mean_and_cv()
    {
        // qemu-devel run A, EXTERNAL_INTERRUPT: n 471831, min 0.64 µs, max 65.42 µs, mean 2.34 µs (+- 0.11 %) → cv ≈ 0.756.
        var summary = new SummaryStatistics { Count = 471831, MeanNs = 2340, MinNs = 640, MaxNs = 65420, RelStdErrPct = 0.11 };

        var fit = LognormalMomentFit.Fit(summary, assumedCv: 1);

        Assert.True(fit.Truncated);
        Assert.Equal((640.0, 65420.0), (fit.LowerNs!.Value, fit.UpperNs!.Value));
        Assert.InRange(fit.MeanNs / 2340, 0.99, 1.01);
        Assert.InRange(fit.Cv!.Value / (0.0011 * Math.Sqrt(471831)), 0.99, 1.01);

        // Draw from the parent and keep what falls within the bounds: the moments match the closed form.
        var parent = new LogNormal(fit.LogMu!.Value, fit.LogSigma!.Value, new Xoshiro256StarStar(5, threadSafe: false));
        var kept = parent.Samples().Take(400_000).Where(x => x >= 640 && x <= 65420).ToArray();
        Assert.InRange(kept.Average() / fit.MeanNs, 0.99, 1.01);
    }

    [Fact]
    public void Heavy_tailed_rows_keep_the_mean_within_the_bounds()
    {
        // 0xba1a MSR_WRITE: mean 3.00 µs, min 0.45 µs, max 9554.94 µs, +- 41.94 % over 9167 → cv ≈ 40; a plain lognormal
        // with that cv would put most draws below the measured minimum.
        var summary = new SummaryStatistics { Count = 9167, MeanNs = 3000, MinNs = 450, MaxNs = 9_554_940, RelStdErrPct = 41.94 };

        var fit = LognormalMomentFit.Fit(summary, assumedCv: 1);

        Assert.True(fit.Truncated);
        Assert.InRange(fit.MeanNs / 3000, 0.99, 1.01);
        Assert.InRange(fit.Cv!.Value, 0.1, 40);
        Assert.Contains("mean kept but cv", fit.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounds_that_hold_the_fit_are_not_applied()
    {
        // Cloudatlas PAUSE_INSTRUCTION-like row with a generous range.
        var fit = LognormalMomentFit.Fit(new SummaryStatistics { Count = 5000, MeanNs = 1810, MinNs = 100, MaxNs = 100_000, RelStdErrPct = 0.3 }, 1);

        Assert.False(fit.Truncated);
        Assert.Null(fit.LowerNs);
        Assert.Contains("hold the fit, not applied", fit.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_spread_is_a_constant()
    {
        var fit = LognormalMomentFit.Fit(new SummaryStatistics { Count = 40, MeanNs = 150, RelStdErrPct = 0 }, 1);

        Assert.Equal(DistributionFamily.Constant, fit.Family);
        Assert.Equal(150, fit.MeanNs);
    }
}
