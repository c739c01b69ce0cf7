using ExitSim.Units;

namespace ExitSim.Distributions;

/// <summary>Uniform between two values: <c>uniform(1us, 3us)</c>.</summary>
public sealed record UniformDistribution(Quantity Low, Quantity High) : Distribution
{
    public override double Mean(double ghz) => (Low.Resolve(ghz) + High.Resolve(ghz)) / 2;
    public override double Variance(double ghz) => Math.Pow(High.Resolve(ghz) - Low.Resolve(ghz), 2) / 12;
    public override Sampler ToSampler(double ghz) => Sampler.Uniform(Low.Resolve(ghz), High.Resolve(ghz));
    public override string Format() => $"uniform({Low}, {High})";
}
