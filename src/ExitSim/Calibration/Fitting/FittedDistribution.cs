namespace ExitSim.Calibration.Fitting;

/// <summary>
/// A distribution of per-exit time in ns, in the parameters a simulator draws from, with how well it fits and where it
/// came from. Which parameters are set depends on <see cref="Family"/>:
/// constant: <see cref="MeanNs"/>; exponential: <see cref="MeanNs"/>; lognormal: <see cref="MeanNs"/>, <see cref="Cv"/>
/// (and the equivalent <see cref="LogMu"/>/<see cref="LogSigma"/>); gamma and Weibull: <see cref="Shape"/>/<see cref="Scale"/>
/// (and <see cref="MeanNs"/>/<see cref="Cv"/>); empirical: <see cref="Samples"/>.
/// </summary>
public sealed record FittedDistribution
{
    public required DistributionFamily Family { get; init; }

    /// <summary>Mean of the distribution as fitted (for a truncated lognormal: the mean after truncation).</summary>
    public required double MeanNs { get; init; }

    /// <summary>Coefficient of variation (standard deviation / mean) of the distribution as fitted.</summary>
    public double? Cv { get; init; }

    /// <summary>Gamma shape k or Weibull shape k.</summary>
    public double? Shape { get; init; }

    /// <summary>Gamma scale θ or Weibull scale λ, in ns.</summary>
    public double? Scale { get; init; }

    /// <summary>Lognormal μ and σ of ln(X / 1 ns), of the untruncated parent when <see cref="Truncated"/>.</summary>
    public double? LogMu { get; init; }

    public double? LogSigma { get; init; }

    /// <summary>True when draws must be kept within [<see cref="LowerNs"/>, <see cref="UpperNs"/>] (the measured min and max).</summary>
    public bool Truncated { get; init; }

    public double? LowerNs { get; init; }

    public double? UpperNs { get; init; }

    /// <summary>Sorted observed values for <see cref="DistributionFamily.Empirical"/>.</summary>
    public double[]? Samples { get; init; }

    /// <summary>Kolmogorov–Smirnov distance to the data; null when there are no per-exit samples to compare with.</summary>
    public double? Ks { get; init; }

    /// <summary>Asymptotic Kolmogorov p-value of <see cref="Ks"/> (optimistic, since the parameters came from the same data).</summary>
    public double? KsPValue { get; init; }

    /// <summary>Akaike information criterion 2k − 2 ln L; null without per-exit samples.</summary>
    public double? Aic { get; init; }

    /// <summary>Number of samples (exits) behind the fit.</summary>
    public required long N { get; init; }

    /// <summary>One line: source, method and any assumption.</summary>
    public required string Provenance { get; init; }

    /// <summary>The parametric fits that were compared (per-exit fits only), best AIC first.</summary>
    public IReadOnlyList<FittedDistribution> Candidates { get; init; } = [];
}
