using ExitSim.Units;

namespace ExitSim.Distributions;

/// <summary>
/// Resamples observed values: <c>empirical(1us, 1.2us, 4us)</c> or <c>empirical(file=costs.csv)</c>
/// (one value per line; a plain number is ns; a header line such as <c>us</c> sets the unit).
/// Each draw is one of the values with equal probability, so the mean is the sample mean exactly.
/// </summary>
public sealed record EmpiricalDistribution(EquatableArray<Quantity> Values, string? File = null) : Distribution
{
    public override double Mean(double ghz) => Values.Average(v => v.Resolve(ghz));
    public override double Variance(double ghz)
    {
        double m = Mean(ghz);
        return Values.Average(v => Math.Pow(v.Resolve(ghz) - m, 2));
    }
    public override Sampler ToSampler(double ghz) => Sampler.Empirical(Values.Select(v => v.Resolve(ghz)).ToArray());
    public override string Format() =>
        File is not null ? $"empirical(file={File})" : $"empirical({string.Join(", ", Values)})";
}
