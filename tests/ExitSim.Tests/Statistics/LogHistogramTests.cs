using ExitSim.Statistics;
using MathNet.Numerics.Statistics;

namespace ExitSim.Tests.Statistics;

public class LogHistogramTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    [InlineData(0.999)]
    public void Quantiles_are_within_one_percent_of_the_exact_ones(double q)
    {
        var rng = new Random(11);
        var xs = Enumerable.Range(0, 100_000).Select(_ => 200 + 5000 * -Math.Log(1 - rng.NextDouble())).ToArray();
        var h = new LogHistogram();
        foreach (var x in xs) h.Record(x);
        double exact = xs.Quantile(q);
        Assert.Equal(exact, h.Quantile(q), exact * 0.01);
    }

    [Fact]
    public void Memory_is_fixed_and_merging_adds_counts()
    {
        var a = new LogHistogram();
        var b = new LogHistogram();
        for (int i = 1; i <= 1000; i++) { a.Record(i); b.Record(i * 1e6); }
        a.Add(b);
        Assert.Equal(2000, a.Total);
        Assert.Equal(1000, a.Quantile(0.5), 10.0);
        Assert.Equal(LogHistogram.BucketCount, 1 + 41 * 64);
        Assert.Equal(1.0, a.Cdf().Last().CumulativeFraction);
    }
}
