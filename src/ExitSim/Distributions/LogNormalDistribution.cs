using ExitSim.Units;

namespace ExitSim.Distributions;

/// <summary>
/// Log-normal by mean and coefficient of variation, the way costs are reported:
/// <c>lognormal(mean=2us, cv=0.8)</c>. σ² = ln(1+cv²), μ = ln(mean) − σ²/2.
/// </summary>
public sealed record LogNormalDistribution(Quantity MeanValue, double Cv) : Distribution
{
    public override double Mean(double ghz) => MeanValue.Resolve(ghz);
    public override double Variance(double ghz) => Math.Pow(MeanValue.Resolve(ghz) * Cv, 2);
    public override Sampler ToSampler(double ghz)
    {
        double mean = MeanValue.Resolve(ghz);
        if (Cv == 0) return Sampler.Constant(mean);
        double s2 = Math.Log(1 + Cv * Cv);
        return Sampler.LogNormal(Math.Log(mean) - s2 / 2, Math.Sqrt(s2));
    }
    public override string Format() => $"lognormal(mean={MeanValue}, cv={Units.UnitFormat.Number(Cv)})";
}
