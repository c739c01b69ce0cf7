namespace ExitSim.Distributions;

/// <summary>
/// A distribution as a scenario states it (one record per family, like MathNet.Numerics), in the
/// units the user wrote: times may be in ns or cycles and are resolved with the host's GHz.
/// <see cref="Format"/> writes the scenario syntax that <see cref="DistributionParser"/> reads back.
/// </summary>
public abstract record Distribution
{
    /// <summary>Mean in ns (or plain units), cycles converted at <paramref name="ghz"/>.</summary>
    public abstract double Mean(double ghz);
    public abstract double Variance(double ghz);
    public abstract Sampler ToSampler(double ghz);
    /// <summary>The scenario syntax, e.g. <c>lognormal(mean=2us, cv=0.8)</c>.</summary>
    public abstract string Format();
    public sealed override string ToString() => Format();

    /// <summary>Squared coefficient of variation (0 for constants, 1 for exponentials).</summary>
    public double Scv(double ghz)
    {
        double m = Mean(ghz);
        return m == 0 ? 0 : Variance(ghz) / (m * m);
    }
}
