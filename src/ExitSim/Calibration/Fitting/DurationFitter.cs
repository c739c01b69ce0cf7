using MathNet.Numerics.Distributions;

namespace ExitSim.Calibration.Fitting;

/// <summary>
/// Fits per-exit durations (ns) from a trace: maximum likelihood for exponential, lognormal, gamma and Weibull, the
/// family with the lowest AIC wins, and its Kolmogorov–Smirnov distance is reported.
/// <para>Fallback rule: fewer than <see cref="MinSamplesForFamilies"/> samples → empirical (constant if all equal), since
/// AIC and KS mean little there; the AIC winner rejected by the asymptotic Kolmogorov test at p &lt; <see cref="RejectPValue"/>
/// → empirical. Because the parameters come from the same data the test is lenient, so a rejection is a clear misfit
/// (e.g. bimodal kernel/userspace mixes, or µs-quantised trace times with many ties).</para>
/// </summary>
public static class DurationFitter
{
    public const int MinSamplesForFamilies = 20;

    public const double RejectPValue = 0.01;

    public static FittedDistribution Fit(IReadOnlyList<double> durationsNs)
    {
        if (durationsNs.Count == 0)
        {
            throw new ArgumentException("no durations to fit", nameof(durationsNs));
        }

        if (durationsNs.Any(d => !double.IsFinite(d) || d < 0))
        {
            throw new ArgumentException("durations must be finite and non-negative", nameof(durationsNs));
        }

        var sorted = durationsNs.Order().ToArray();
        var n = sorted.Length;
        if (sorted[0] == sorted[^1])
        {
            return new FittedDistribution
            {
                Family = DistributionFamily.Constant,
                MeanNs = sorted[0],
                Cv = 0,
                N = n,
                Provenance = $"constant: {n} duration(s), all {sorted[0]:0.#} ns",
            };
        }

        if (n < MinSamplesForFamilies)
        {
            return Empirical(sorted, $"empirical: {n} durations (< {MinSamplesForFamilies}, too few to choose a family)", []);
        }

        var candidates = Candidates(sorted).OrderBy(c => c.Aic).ToArray();
        if (candidates.Length == 0)
        {
            return Empirical(sorted, $"empirical: no family could be estimated from {n} durations", []);
        }

        var best = candidates[0];
        if (best.KsPValue < RejectPValue)
        {
            return Empirical(
                sorted,
                $"empirical: best family {Name(best.Family)} (AIC {best.Aic:0.#}) rejected by KS D={best.Ks:0.####}, p={best.KsPValue:0.####} < {RejectPValue}",
                candidates);
        }

        return best with { Candidates = candidates };
    }

    /// <summary>
    /// All families that can be fitted: exponential always; the others need every duration &gt; 0 (their log-likelihoods use
    /// ln x). A family whose estimator does not converge (nearly constant data) is left out.
    /// </summary>
    private static List<FittedDistribution> Candidates(double[] sorted)
    {
        var estimators = new List<(DistributionFamily Family, Func<IContinuousDistribution> Estimate, int Parameters)>
        {
            (DistributionFamily.Exponential, () => MaximumLikelihood.Exponential(sorted), 1),
        };
        if (sorted[0] > 0)
        {
            estimators.Add((DistributionFamily.Lognormal, () => MaximumLikelihood.Lognormal(sorted), 2));
            estimators.Add((DistributionFamily.Gamma, () => MaximumLikelihood.Gamma(sorted), 2));
            estimators.Add((DistributionFamily.Weibull, () => MaximumLikelihood.Weibull(sorted), 2));
        }

        var fits = new List<FittedDistribution>();
        foreach (var (family, estimate, parameters) in estimators)
        {
            try
            {
                fits.Add(Describe(family, estimate(), parameters, sorted));
            }
            catch (Exception e) when (e is MathNet.Numerics.NonConvergenceException or ArgumentException)
            {
                // not a candidate for this data
            }
        }

        return fits;
    }

    private static FittedDistribution Describe(DistributionFamily family, IContinuousDistribution fitted, int parameters, double[] sorted)
    {
        var logLikelihood = sorted.Sum(fitted.DensityLn);
        var ks = KolmogorovSmirnov.Distance(sorted, fitted.CumulativeDistribution);
        var fit = new FittedDistribution
        {
            Family = family,
            MeanNs = fitted.Mean,
            Cv = fitted.StdDev / fitted.Mean,
            N = sorted.Length,
            Aic = 2 * parameters - 2 * logLikelihood,
            Ks = ks,
            KsPValue = KolmogorovSmirnov.PValue(ks, sorted.Length),
            Provenance = "",
        };
        fit = fitted switch
        {
            LogNormal l => fit with { LogMu = l.Mu, LogSigma = l.Sigma },
            Gamma g => fit with { Shape = g.Shape, Scale = 1 / g.Rate },
            Weibull w => fit with { Shape = w.Shape, Scale = w.Scale },
            _ => fit,
        };
        return fit with
        {
            Provenance = $"{Name(family)} by maximum likelihood from {sorted.Length} durations: mean {fit.MeanNs:0.#} ns, cv {fit.Cv:0.###}, AIC {fit.Aic:0.#}, KS D={ks:0.####} (p={fit.KsPValue:0.####})",
        };
    }

    private static FittedDistribution Empirical(double[] sorted, string provenance, IReadOnlyList<FittedDistribution> candidates)
    {
        var mean = sorted.Average();
        var sd = Math.Sqrt(sorted.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, sorted.Length - 1));
        return new FittedDistribution
        {
            Family = DistributionFamily.Empirical,
            MeanNs = mean,
            Cv = mean > 0 ? sd / mean : null,
            Samples = sorted,
            N = sorted.Length,
            Provenance = provenance,
            Candidates = candidates,
        };
    }

    private static string Name(DistributionFamily family) => family.ToString().ToLowerInvariant();
}
