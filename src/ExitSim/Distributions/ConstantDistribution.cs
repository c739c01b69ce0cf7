using ExitSim.Units;

namespace ExitSim.Distributions;

/// <summary>Always the same value: <c>const(300cyc)</c>, or just <c>300cyc</c>.</summary>
public sealed record ConstantDistribution(Quantity Value) : Distribution
{
    public override double Mean(double ghz) => Value.Resolve(ghz);
    public override double Variance(double ghz) => 0;
    public override Sampler ToSampler(double ghz) => Sampler.Constant(Value.Resolve(ghz));
    public override string Format() => $"const({Value})";
}
