using ExitSim.Units;
using MathNet.Numerics.Distributions;

namespace ExitSim.Distributions;

/// <summary>
/// Normal(mean, sd) truncated at 0 (a time cannot be negative): <c>normal(mean=2us, sd=0.5us)</c>.
/// Mean and variance are those of the truncated distribution, not of the parent normal.
/// </summary>
public sealed record TruncatedNormalDistribution(Quantity MeanValue, Quantity Sd) : Distribution
{
    public override double Mean(double ghz)
    {
        var (m, s) = (MeanValue.Resolve(ghz), Sd.Resolve(ghz));
        double a = -m / s;
        return m + s * Lambda(a);
    }

    public override double Variance(double ghz)
    {
        var (m, s) = (MeanValue.Resolve(ghz), Sd.Resolve(ghz));
        double a = -m / s, l = Lambda(a);
        return s * s * (1 + a * l - l * l);
    }

    /// <summary>Inverse Mills ratio φ(a)/(1−Φ(a)).</summary>
    private static double Lambda(double a) => Normal.PDF(0, 1, a) / (1 - Normal.CDF(0, 1, a));

    public override Sampler ToSampler(double ghz) => Sampler.TruncatedNormal(MeanValue.Resolve(ghz), Sd.Resolve(ghz));
    public override string Format() => $"normal(mean={MeanValue}, sd={Sd})";
}
