using ExitSim.Units;
using MathNet.Numerics;

namespace ExitSim.Distributions;

/// <summary>Weibull by shape k and scale λ: <c>weibull(shape=1.5, scale=2us)</c> (a family calibration can choose).</summary>
public sealed record WeibullDistribution(double Shape, Quantity Scale) : Distribution
{
    public override double Mean(double ghz) => Scale.Resolve(ghz) * SpecialFunctions.Gamma(1 + 1 / Shape);
    public override double Variance(double ghz) =>
        Math.Pow(Scale.Resolve(ghz), 2) * (SpecialFunctions.Gamma(1 + 2 / Shape) - Math.Pow(SpecialFunctions.Gamma(1 + 1 / Shape), 2));
    public override Sampler ToSampler(double ghz) => Sampler.Weibull(Shape, Scale.Resolve(ghz));
    public override string Format() => $"weibull(shape={UnitFormat.Number(Shape)}, scale={Scale})";
}
