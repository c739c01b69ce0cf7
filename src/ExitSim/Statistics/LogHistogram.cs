using System.Runtime.CompilerServices;

namespace ExitSim.Statistics;

/// <summary>
/// A streaming histogram of positive values (ns) with logarithmic buckets: 64 per power of two,
/// so any percentile is within ±0.8 % of the true sample quantile, and memory stays fixed
/// (2,625 counters) however long the simulation runs. The bucket comes straight from the
/// double's exponent and top mantissa bits: no logarithm per sample.
/// </summary>
public sealed class LogHistogram
{
    private const int SubBits = 6;
    private const int Sub = 1 << SubBits;
    private const int Octaves = 41;           // 1 ns .. 2^41 ns (≈ 37 min)
    public const int BucketCount = 1 + Octaves * Sub;

    private readonly long[] _counts = new long[BucketCount];
    public long Total { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(double value)
    {
        _counts[Index(value)]++;
        Total++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Index(double v)
    {
        if (!(v >= 1.0)) return 0;
        long bits = BitConverter.DoubleToInt64Bits(v);
        int exp = (int)(bits >> 52) - 1023;
        if (exp >= Octaves) return BucketCount - 1;
        int mant = (int)((bits >> (52 - SubBits)) & (Sub - 1));
        return 1 + exp * Sub + mant;
    }

    /// <summary>Bounds [low, high) of a bucket; bucket 0 holds everything below 1 ns.</summary>
    public static (double Low, double High) Bounds(int index)
    {
        if (index == 0) return (0, 1);
        int exp = (index - 1) / Sub, mant = (index - 1) % Sub;
        double b = Math.Pow(2, exp);
        return (b * (1 + (double)mant / Sub), b * (1 + (double)(mant + 1) / Sub));
    }

    public void Add(LogHistogram other)
    {
        for (int i = 0; i < BucketCount; i++) _counts[i] += other._counts[i];
        Total += other.Total;
    }

    /// <summary>
    /// The q-quantile (0..1): the geometric middle of the bucket holding the ⌈q·n⌉-th value, clamped
    /// to [min, max] when known. NaN when empty.
    /// </summary>
    public double Quantile(double q, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        if (Total == 0) return double.NaN;
        long rank = Math.Max(1, (long)Math.Ceiling(q * Total));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen < rank) continue;
            var (lo, hi) = Bounds(i);
            double mid = i == 0 ? 0.5 : Math.Sqrt(lo * hi);
            return Math.Clamp(mid, min, max);
        }
        return max;
    }

    /// <summary>Non-empty buckets as (upper bound, cumulative fraction), for CDF plots and exports.</summary>
    public IEnumerable<(double UpperNs, double CumulativeFraction)> Cdf()
    {
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            if (_counts[i] == 0) continue;
            seen += _counts[i];
            yield return (Bounds(i).High, (double)seen / Total);
        }
    }
}
