using ExitSim.Randomness;

namespace ExitSim.Tests.Randomness;

public class RandomStreamTests
{
    [Fact]
    public void Matches_the_reference_xoshiro256starstar_output()
    {
        // Reference C implementation (prng.di.unimi.it/xoshiro256starstar.c) from state {1, 2, 3, 4}.
        var rng = new RandomStream(1, 2, 3, 4);
        Assert.Equal(11520UL, rng.NextUInt64());
        Assert.Equal(0UL, rng.NextUInt64());
        Assert.Equal(1509978240UL, rng.NextUInt64());
        Assert.Equal(1215971899390074240UL, rng.NextUInt64());
    }

    [Fact]
    public void Same_coordinates_give_the_same_stream_and_neighbours_differ()
    {
        var a = RandomStream.For(7, 3, StreamId.ExitCost, 5);
        var b = RandomStream.For(7, 3, StreamId.ExitCost, 5);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var keys = new HashSet<ulong>();
        for (ulong seed = 0; seed < 50; seed++)
            for (int rep = 0; rep < 20; rep++)
                Assert.True(keys.Add(RandomStream.StreamKey(seed, rep, StreamId.ExitCost, 0)));
    }

    [Fact]
    public void Neighbouring_seeds_are_uncorrelated()
    {
        // new Random(seed) and new Random(seed + 1) are linearly related; ours must not be.
        const int n = 20_000;
        var x = RandomStream.For(100, 0, StreamId.ExitOccurrence);
        var y = RandomStream.For(101, 0, StreamId.ExitOccurrence);
        double sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double a = x.NextDouble(), b = y.NextDouble();
            sx += a; sy += b; sxy += a * b; sxx += a * a; syy += b * b;
        }
        double r = (n * sxy - sx * sy) / Math.Sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
        Assert.InRange(r, -0.03, 0.03); // ~4 standard errors of 1/sqrt(n)
    }

    [Fact]
    public void Uniforms_cover_the_unit_interval_evenly()
    {
        var rng = RandomStream.For(1, 0, StreamId.Device);
        var bins = new int[10];
        for (int i = 0; i < 100_000; i++)
        {
            double u = rng.NextDouble();
            Assert.InRange(u, 0, 1 - 1e-17);
            double o = rng.NextOpenDouble();
            Assert.True(o > 0 && o <= 1);
            bins[(int)(u * 10)]++;
        }
        double chi2 = bins.Sum(b => Math.Pow(b - 10_000, 2) / 10_000);
        Assert.True(chi2 < 27.9, $"chi2 = {chi2}"); // 99.9 % point of chi2(9)
    }
}
