using ExitSim.Calibration.Fitting;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace ExitSim.Tests.Calibration;

/// <summary>A known distribution to draw from: family, its mean in ns, a shape-like parameter, and the RNG seed.</summary>
public sealed record KnownDistribution(DistributionFamily Family, double MeanNs, double Spread, int Seed)
{
    public IContinuousDistribution Create()
    {
        var rng = new Xoshiro256StarStar(Seed, threadSafe: false);
        return Family switch
        {
            DistributionFamily.Exponential => new Exponential(1 / MeanNs, rng),
            // Spread is σ of ln X.
            DistributionFamily.Lognormal => new LogNormal(Math.Log(MeanNs) - Spread * Spread / 2, Spread, rng),
            // Spread is the shape k.
            DistributionFamily.Gamma => new Gamma(Spread, Spread / MeanNs, rng),
            DistributionFamily.Weibull => new Weibull(Spread, MeanNs / MathNet.Numerics.SpecialFunctions.Gamma(1 + 1 / Spread), rng),
            _ => throw new ArgumentOutOfRangeException(nameof(Family)),
        };
    }
}

public static class KnownDistributions
{
    public static Arbitrary<KnownDistribution> Known()
    {
        static Gen<double> Between(double low, double high) => Gen.Choose(0, 10_000).Select(i => low + (high - low) * i / 10_000.0);

        var gen =
            from family in Gen.Elements(DistributionFamily.Exponential, DistributionFamily.Lognormal, DistributionFamily.Gamma, DistributionFamily.Weibull)
            from mean in Between(200, 50_000)
            from spread in family switch
            {
                DistributionFamily.Lognormal => Between(0.1, 0.5),
                DistributionFamily.Gamma => Between(2, 20),
                DistributionFamily.Weibull => Between(1.5, 5),
                _ => Gen.Constant(1.0),
            }
            from seed in Gen.Choose(0, int.MaxValue)
            select new KnownDistribution(family, mean, spread, seed);
        return gen.ToArbitrary();
    }
}

public sealed class DurationFitterProperties
{
    private const int SampleSize = 2000;

    [Property(Arbitrary = [typeof(KnownDistributions)], MaxTest = 60)]
    public void Fit_recovers_the_mean_of_generated_samples(KnownDistribution known)
    {
        var truth = known.Create();
        var samples = new double[SampleSize];
        truth.Samples(samples);

        var fit = DurationFitter.Fit(samples);

        Assert.NotEqual(DistributionFamily.Empirical, fit.Family);
        // "Small": below the Kolmogorov 1 % critical value 1.63/√n (≈ 0.036 for n = 2000).
        Assert.InRange(fit.Ks!.Value, 0, 1.63 / Math.Sqrt(SampleSize));
        Assert.Equal(SampleSize, fit.N);
        // 5 % of the true mean, except where the sampling error of a 2000-draw mean is itself large (exponential: cv/√n =
        // 2.2 %): there allow 4.5 standard errors so the property cannot fail by chance.
        var cv = truth.StdDev / truth.Mean;
        var tolerance = Math.Max(0.05, 4.5 * cv / Math.Sqrt(SampleSize));
        Assert.InRange(fit.MeanNs / truth.Mean, 1 - tolerance, 1 + tolerance);
        Assert.InRange(fit.MeanNs / samples.Average(), 0.95, 1.05);
    }

    [Property(Arbitrary = [typeof(KnownDistributions)], MaxTest = 20)]
    public void The_generating_family_is_among_the_candidates_with_a_small_distance(KnownDistribution known)
    {
        var samples = new double[SampleSize];
        known.Create().Samples(samples);

        var fit = DurationFitter.Fit(samples);

        var own = Assert.Single(fit.Candidates, c => c.Family == known.Family);
        Assert.True(own.KsPValue >= DurationFitter.RejectPValue, own.Provenance);
        Assert.True(fit.Aic <= own.Aic, "the chosen family has the lowest AIC");
    }
}
