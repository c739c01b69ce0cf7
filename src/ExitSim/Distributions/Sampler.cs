using System.Runtime.CompilerServices;
using ExitSim.Randomness;

namespace ExitSim.Distributions;

/// <summary>
/// A distribution compiled for the simulator's hot path: a small struct sampled through a switch
/// on its kind, so drawing costs no virtual call and no allocation. All values are nanoseconds
/// (or plain numbers). Built from a <see cref="Distribution"/> by <see cref="Distribution.ToSampler"/>.
/// </summary>
public readonly struct Sampler
{
    private readonly SamplerKind _kind;
    private readonly double _a, _b, _c;
    private readonly double[]? _values;     // empirical samples, or mixture cumulative weights
    private readonly Sampler[]? _parts;     // mixture components

    private Sampler(SamplerKind kind, double a, double b = 0, double c = 0, double[]? values = null, Sampler[]? parts = null)
    {
        _kind = kind; _a = a; _b = b; _c = c; _values = values; _parts = parts;
    }

    public SamplerKind Kind => _kind;
    public bool IsConstant => _kind == SamplerKind.Constant;
    /// <summary>The value of a constant sampler (0 for "no phase").</summary>
    public double ConstantValue => _kind == SamplerKind.Constant ? _a : double.NaN;

    public static readonly Sampler Zero = new(SamplerKind.Constant, 0);
    public static Sampler Constant(double value) => new(SamplerKind.Constant, value);
    public static Sampler Exponential(double mean) => new(SamplerKind.Exponential, mean);
    public static Sampler LogNormal(double mu, double sigma) => new(SamplerKind.LogNormal, mu, sigma);
    /// <summary>Gamma with shape k and scale θ.</summary>
    public static Sampler Gamma(double shape, double scale) => new(SamplerKind.Gamma, shape, scale);
    /// <summary>Weibull with shape k and scale λ: λ·E^(1/k) for a standard exponential E.</summary>
    public static Sampler Weibull(double shape, double scale) => new(SamplerKind.Weibull, 1 / shape, scale);
    public static Sampler Uniform(double low, double high) => new(SamplerKind.Uniform, low, high - low);
    /// <summary>Normal(mean, sd) conditioned on being positive.</summary>
    public static Sampler TruncatedNormal(double mean, double sd)
    {
        double p0 = MathNet.Numerics.Distributions.Normal.CDF(mean, sd, 0);
        return new(SamplerKind.TruncatedNormal, mean, sd, p0);
    }
    public static Sampler Empirical(double[] values) => new(SamplerKind.Empirical, 0, values: (double[])values.Clone());
    public static Sampler Mixture(double[] weights, Sampler[] parts)
    {
        var cumulative = new double[weights.Length];
        double total = weights.Sum(), run = 0;
        for (int i = 0; i < weights.Length; i++) { run += weights[i] / total; cumulative[i] = run; }
        cumulative[^1] = 1.0;
        return new(SamplerKind.Mixture, 0, values: cumulative, parts: (Sampler[])parts.Clone());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sample(RandomStream rng)
    {
        switch (_kind)
        {
            case SamplerKind.Constant: return _a;
            case SamplerKind.Exponential: return _a * Ziggurat.Exponential(rng);
            case SamplerKind.LogNormal: return Math.Exp(_a + _b * Ziggurat.Normal(rng));
            default: return SampleRare(rng);
        }
    }

    private double SampleRare(RandomStream rng)
    {
        switch (_kind)
        {
            case SamplerKind.Gamma: return SampleGamma(rng, _a) * _b;
            case SamplerKind.Uniform: return _a + _b * rng.NextDouble();
            case SamplerKind.Weibull: return _b * Math.Pow(Ziggurat.Exponential(rng), _a);
            case SamplerKind.TruncatedNormal:
                if (_c < 0.8)
                {
                    while (true)
                    {
                        double x = _a + _b * Ziggurat.Normal(rng);
                        if (x > 0) return x;
                    }
                }
                // Mostly below zero: inverse CDF on the upper tail instead of endless rejections.
                double u = _c + (1 - _c) * rng.NextDouble();
                return Math.Max(double.Epsilon, MathNet.Numerics.Distributions.Normal.InvCDF(_a, _b, Math.Min(u, 1 - 1e-16)));
            case SamplerKind.Empirical:
                return _values![(int)(rng.NextDouble() * _values.Length)];
            case SamplerKind.Mixture:
                double v = rng.NextDouble();
                var cum = _values!;
                int i = 0;
                while (i < cum.Length - 1 && v >= cum[i]) i++;
                return _parts![i].Sample(rng);
            default:
                throw new InvalidOperationException($"sampler kind {_kind} cannot be sampled");
        }
    }

    /// <summary>Marsaglia &amp; Tsang (2000) squeeze method; shape &lt; 1 by the U^(1/k) boost.</summary>
    private static double SampleGamma(RandomStream rng, double shape)
    {
        if (shape < 1)
            return SampleGamma(rng, shape + 1) * Math.Pow(rng.NextOpenDouble(), 1.0 / shape);
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Ziggurat.Normal(rng);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.NextOpenDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }
}

public enum SamplerKind : byte
{
    Constant, Exponential, LogNormal, Gamma, Uniform, TruncatedNormal, Empirical, Mixture, Weibull,
}
