using ExitSim.Units;

namespace ExitSim.Distributions;

/// <summary>Exponential by its mean: <c>exp(500ns)</c> (memoryless; cv = 1).</summary>
public sealed record ExponentialDistribution(Quantity MeanValue) : Distribution
{
    public override double Mean(double ghz) => MeanValue.Resolve(ghz);
    public override double Variance(double ghz) => Math.Pow(MeanValue.Resolve(ghz), 2);
    public override Sampler ToSampler(double ghz) => Sampler.Exponential(MeanValue.Resolve(ghz));
    public override string Format() => $"exp({MeanValue})";
}
