using ExitSim.Calibration.Fitting;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace ExitSim.Tests.Calibration;

public sealed class DurationFitterTests
{
    [Fact]
    public void Lognormal_data_picks_lognormal_with_its_parameters()
    {
        var samples = new double[5000];
        new LogNormal(Math.Log(2000), 0.4, new Xoshiro256StarStar(7, threadSafe: false)).Samples(samples);

        var fit = DurationFitter.Fit(samples);

        Assert.Equal(DistributionFamily.Lognormal, fit.Family);
        Assert.Equal(Math.Log(2000), fit.LogMu!.Value, 1e-2 * Math.Log(2000));
        Assert.InRange(fit.LogSigma!.Value, 0.39, 0.41);
        Assert.Equal(4, fit.Candidates.Count);
        Assert.Contains("lognormal by maximum likelihood from 5000 durations", fit.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void Gamma_shape_and_scale_are_recovered()
    {
        var samples = new double[5000];
        Gamma.WithShapeScale(3, 500, new Xoshiro256StarStar(11, threadSafe: false)).Samples(samples);

        var fit = DurationFitter.Fit(samples);

        var gamma = fit.Candidates.Single(c => c.Family == DistributionFamily.Gamma);
        Assert.InRange(gamma.Shape!.Value, 2.85, 3.15);
        Assert.InRange(gamma.Scale!.Value, 470, 530);
        Assert.Equal(samples.Average(), gamma.MeanNs, 1e-6 * gamma.MeanNs); // the gamma MLE mean is the sample mean
    }

    [Fact]
    public void Few_samples_stay_empirical_and_equal_samples_are_constant()
    {
        var few = DurationFitter.Fit([1000, 1200, 900, 5000]);
        Assert.Equal(DistributionFamily.Empirical, few.Family);
        Assert.Equal([900.0, 1000, 1200, 5000], few.Samples!);
        Assert.Equal(2025, few.MeanNs);
        Assert.Null(few.Ks);

        var same = DurationFitter.Fit(Enumerable.Repeat(750.0, 50).ToArray());
        Assert.Equal(DistributionFamily.Constant, same.Family);
        Assert.Equal(750, same.MeanNs);
    }

    [Fact]
    public void A_kernel_userspace_mixture_fits_no_family()
    {
        var rng = new Xoshiro256StarStar(3, threadSafe: false);
        var kernel = new double[1000];
        var userspace = new double[1000];
        new LogNormal(Math.Log(1000), 0.1, rng).Samples(kernel);
        new LogNormal(Math.Log(30000), 0.1, rng).Samples(userspace);

        var fit = DurationFitter.Fit([.. kernel, .. userspace]);

        Assert.Equal(DistributionFamily.Empirical, fit.Family);
        Assert.Equal(2000, fit.Samples!.Length);
        Assert.Contains("rejected by KS", fit.Provenance, StringComparison.Ordinal);
        Assert.All(fit.Candidates, c => Assert.True(c.KsPValue < DurationFitter.RejectPValue));
    }

    [Fact]
    public void Kolmogorov_p_value_matches_the_tabulated_critical_values()
    {
        const long n = 100_000_000; // large enough that Stephens' correction is negligible
        Assert.Equal(0.05, KolmogorovSmirnov.PValue(1.3581 / Math.Sqrt(n), n), 3);
        Assert.Equal(0.01, KolmogorovSmirnov.PValue(1.6276 / Math.Sqrt(n), n), 3);
        Assert.Equal(1.0, KolmogorovSmirnov.PValue(0, n));
        Assert.Equal(0.5, KolmogorovSmirnov.Distance([1.0], _ => 0.5));
    }
}
