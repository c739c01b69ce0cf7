using ExitSim.Distributions;
using ExitSim.Randomness;
using ExitSim.Units;
using MathNet.Numerics.Distributions;

namespace ExitSim.Tests.Distributions;

public class SamplerTests
{
    private static double[] Draw(Sampler s, int n = 200_000, ulong seed = 42)
    {
        var rng = RandomStream.For(seed, 0, StreamId.ExitCost);
        var xs = new double[n];
        for (int i = 0; i < n; i++) xs[i] = s.Sample(rng);
        return xs;
    }

    /// <summary>Kolmogorov–Smirnov distance between a sample and a CDF.</summary>
    private static double Ks(double[] xs, Func<double, double> cdf)
    {
        var sorted = xs.Order().ToArray();
        double d = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            double f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(f - (double)i / sorted.Length, (double)(i + 1) / sorted.Length - f));
        }
        return d;
    }

    // Critical KS distance at alpha = 0.001 for n = 200,000: 1.95 / sqrt(n) ≈ 0.0044.
    private const double KsCritical = 0.0044;

    [Fact]
    public void Ziggurat_exponential_has_the_exponential_distribution()
    {
        var xs = Draw(Sampler.Exponential(1));
        Assert.True(Ks(xs, x => 1 - Math.Exp(-x)) < KsCritical);
        Assert.Equal(1.0, xs.Average(), 0.01);
        Assert.True(xs.Max() > 10); // the tail beyond the ziggurat base is reached
    }

    [Fact]
    public void Ziggurat_normal_has_the_normal_distribution()
    {
        var rng = RandomStream.For(3, 0, StreamId.ExitCost);
        var xs = Enumerable.Range(0, 200_000).Select(_ => Ziggurat.Normal(rng)).ToArray();
        Assert.True(Ks(xs, x => Normal.CDF(0, 1, x)) < KsCritical);
        Assert.True(xs.Max() > 3.5 && xs.Min() < -3.5);
        Assert.Equal(1.0, Math.Sqrt(xs.Select(x => x * x).Average()), 0.01);
    }

    [Theory]
    [InlineData("lognormal(mean=2us, cv=0.8)")]
    [InlineData("gamma(shape=2, mean=1us)")]
    [InlineData("gamma(shape=0.5, mean=1us)")]
    [InlineData("uniform(1us, 3us)")]
    [InlineData("weibull(shape=1.5, scale=2us)")]
    [InlineData("weibull(shape=0.7, scale=1us)")]
    [InlineData("normal(mean=2us, sd=0.5us)")]
    [InlineData("normal(mean=0.1us, sd=1us)")]
    public void Families_follow_their_cdf(string text)
    {
        var d = DistributionParser.Parse(text);
        var xs = Draw(d.ToSampler(2.0));
        Func<double, double> cdf = d switch
        {
            LogNormalDistribution l => x => LogNormal.CDF(Math.Log(l.Mean(2)) - Math.Log(1 + l.Cv * l.Cv) / 2, Math.Sqrt(Math.Log(1 + l.Cv * l.Cv)), x),
            GammaDistribution g => x => Gamma.CDF(g.Shape, g.Shape / g.Mean(2), x),
            UniformDistribution u => x => ContinuousUniform.CDF(u.Low.Value, u.High.Value, x),
            WeibullDistribution w => x => Weibull.CDF(w.Shape, w.Scale.Value, x),
            TruncatedNormalDistribution t => x => x <= 0 ? 0
                : (Normal.CDF(t.MeanValue.Value, t.Sd.Value, x) - Normal.CDF(t.MeanValue.Value, t.Sd.Value, 0)) / (1 - Normal.CDF(t.MeanValue.Value, t.Sd.Value, 0)),
            _ => throw new InvalidOperationException(),
        };
        double ks = Ks(xs, cdf);
        Assert.True(ks < KsCritical, $"KS distance {ks} for {text}");
        Assert.Equal(d.Mean(2), xs.Average(), d.Mean(2) * 0.01);
        double mean = xs.Average();
        double variance = xs.Select(x => (x - mean) * (x - mean)).Average();
        Assert.Equal(d.Variance(2), variance, d.Variance(2) * 0.05);
    }

    [Fact]
    public void Mixture_and_empirical_keep_their_means()
    {
        var mix = DistributionParser.Parse("mix(0.6: const(0), 0.4: exp(2us))");
        var xs = Draw(mix.ToSampler(2));
        Assert.Equal(800, mix.Mean(2), 1e-9);
        Assert.Equal(800, xs.Average(), 8.0);
        Assert.Equal(0.6, xs.Count(x => x == 0) / (double)xs.Length, 0.005);

        var emp = DistributionParser.Parse("empirical(1us, 2us, 6us)");
        var ys = Draw(emp.ToSampler(2));
        Assert.Equal(3000, emp.Mean(2), 1e-9);
        Assert.Equal(3000, ys.Average(), 20.0);
        Assert.All(ys, y => Assert.Contains(y, new[] { 1000.0, 2000, 6000 }));
    }

    [Fact]
    public void Cycles_are_converted_with_the_host_clock()
    {
        var d = DistributionParser.Parse("const(1500cyc)");
        Assert.Equal(750, d.Mean(2.0));
        Assert.Equal(500, d.Mean(3.0));
        Assert.Equal(500, d.ToSampler(3.0).Sample(RandomStream.For(1, 0, StreamId.ExitCost)));
        Assert.Equal(Quantity.Cycles(1500), ((ConstantDistribution)d).Value);
    }
}
