using ExitSim.Units;

namespace ExitSim.Distributions;

/// <summary>Gamma by shape k and mean: <c>gamma(shape=2, mean=1us)</c>; cv = 1/√k.</summary>
public sealed record GammaDistribution(double Shape, Quantity MeanValue) : Distribution
{
    public override double Mean(double ghz) => MeanValue.Resolve(ghz);
    public override double Variance(double ghz) => Math.Pow(MeanValue.Resolve(ghz), 2) / Shape;
    public override Sampler ToSampler(double ghz) => Sampler.Gamma(Shape, MeanValue.Resolve(ghz) / Shape);
    public override string Format() => $"gamma(shape={UnitFormat.Number(Shape)}, mean={MeanValue})";
}
