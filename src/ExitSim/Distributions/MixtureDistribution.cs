using ExitSim.Units;

namespace ExitSim.Distributions;

/// <summary>
/// A weighted choice between distributions: <c>mix(0.6: const(0), 0.4: exp(2us))</c>.
/// Weights are probabilities and must sum to 1.
/// </summary>
public sealed record MixtureDistribution(EquatableArray<MixtureComponent> Components) : Distribution
{
    public override double Mean(double ghz) => Components.Sum(c => c.Weight * c.Part.Mean(ghz));

    public override double Variance(double ghz)
    {
        double m = Mean(ghz);
        return Components.Sum(c => c.Weight * (c.Part.Variance(ghz) + Math.Pow(c.Part.Mean(ghz) - m, 2)));
    }

    public override Sampler ToSampler(double ghz) =>
        Sampler.Mixture(Components.Select(c => c.Weight).ToArray(), Components.Select(c => c.Part.ToSampler(ghz)).ToArray());

    public override string Format() =>
        "mix(" + string.Join(", ", Components.Select(c => $"{UnitFormat.Number(c.Weight)}: {c.Part.Format()}")) + ")";
}

public sealed record MixtureComponent(double Weight, Distribution Part);
