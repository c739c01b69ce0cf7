using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace ExitSim.Calibration.Fitting;

/// <summary>
/// A lognormal from summary statistics by the method of moments (mean and cv), kept within the measured min/max when
/// those bound a noticeable part of it. The cv comes from perf's relative standard error (cv = x/100·√n) or, when the
/// source has no spread, from the caller's assumption, and the provenance says which.
/// </summary>
public static class LognormalMomentFit
{
    /// <summary>Probability outside [min, max] below which the bounds are consistent with the plain fit and are not applied.</summary>
    private const double NegligibleMassOutsideBounds = 1e-3;

    /// <summary>Relative error in mean and cv accepted for a truncated fit.</summary>
    private const double MomentTolerance = 0.01;

    public static FittedDistribution Fit(SummaryStatistics summary, double assumedCv)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(summary.MeanNs);
        ArgumentOutOfRangeException.ThrowIfNegative(assumedCv);
        var mean = summary.MeanNs;
        var (cv, spread) = summary.RelStdErrPct is { } pct && summary.Count >= 2
            ? (RelativeStandardError.ToCv(pct, summary.Count), $"cv {RelativeStandardError.ToCv(pct, summary.Count):0.###} from ±{pct}% (rel. std. error of the mean) × √n")
            : (assumedCv, $"cv {assumedCv:0.###} ASSUMED (source has no spread)");

        if (cv < 1e-9)
        {
            return new FittedDistribution
            {
                Family = DistributionFamily.Constant,
                MeanNs = mean,
                Cv = 0,
                N = summary.Count,
                Provenance = $"constant {mean:0.#} ns: {spread}",
            };
        }

        var sigma = Math.Sqrt(Math.Log(1 + cv * cv));
        var mu = Math.Log(mean) - sigma * sigma / 2;
        var plain = new FittedDistribution
        {
            Family = DistributionFamily.Lognormal,
            MeanNs = mean,
            Cv = cv,
            LogMu = mu,
            LogSigma = sigma,
            N = summary.Count,
            Provenance = $"lognormal by moments: mean {mean:0.#} ns, {spread}",
        };

        if (summary.MinNs is null && summary.MaxNs is null)
        {
            return plain;
        }

        var lower = summary.MinNs ?? 0;
        var upper = summary.MaxNs ?? double.PositiveInfinity;
        var outside = 1 - MassWithin(mu, sigma, lower, upper);
        var range = $"[{lower:0.#}, {upper:0.#}] ns";
        if (outside < NegligibleMassOutsideBounds)
        {
            return plain with { Provenance = $"{plain.Provenance}; min/max {range} hold the fit, not applied" };
        }

        var both = FitTruncated(mean, cv, lower, upper, mu, sigma, meanWeight: 1);
        var (bothMean, bothCv) = TruncatedMoments(both.Mu, both.Sigma, lower, upper);
        if (Close(bothMean, mean) && Close(bothCv, cv))
        {
            return Truncate(plain, both, lower, upper, $"truncated to min/max {range} ({outside:P1} of the plain fit lay outside), parent refitted to keep mean and cv");
        }

        // Heavy-tailed rows (a max thousands of times the mean) have a cv no lognormal within the bounds reaches:
        // keep the mean, which decides the cost, and get as close to the cv as the bounds allow.
        var meanFirst = FitTruncated(mean, cv, lower, upper, mu, sigma, meanWeight: 1e4);
        var (firstMean, firstCv) = TruncatedMoments(meanFirst.Mu, meanFirst.Sigma, lower, upper);
        if (Close(firstMean, mean))
        {
            return Truncate(plain, meanFirst, lower, upper,
                $"truncated to min/max {range} ({outside:P1} of the plain fit lay outside); mean kept but cv {firstCv:0.###} instead of {cv:0.###} (no lognormal within the bounds has both)");
        }

        return plain with
        {
            Provenance = $"{plain.Provenance}; min/max {range} NOT applied: no lognormal truncated there has this mean ({outside:P1} of the fit lies outside)",
        };
    }

    private static FittedDistribution Truncate(FittedDistribution plain, (double Mu, double Sigma) parent, double lower, double upper, string how)
    {
        var (mean, cv) = TruncatedMoments(parent.Mu, parent.Sigma, lower, upper);
        return plain with
        {
            MeanNs = mean,
            Cv = cv,
            LogMu = parent.Mu,
            LogSigma = parent.Sigma,
            Truncated = true,
            LowerNs = lower,
            UpperNs = upper,
            Provenance = $"{plain.Provenance}; {how}",
        };
    }

    private static bool Close(double value, double target) => Math.Abs(value / target - 1) <= MomentTolerance;

    /// <summary>Mean and cv of a lognormal(μ, σ) truncated to [lower, upper]: E[X^k | a&lt;X&lt;b] = e^(kμ+k²σ²/2)·[Φ(β−kσ)−Φ(α−kσ)]/[Φ(β)−Φ(α)].</summary>
    public static (double Mean, double Cv) TruncatedMoments(double mu, double sigma, double lower, double upper)
    {
        var alpha = lower > 0 ? (Math.Log(lower) - mu) / sigma : double.NegativeInfinity;
        var beta = double.IsPositiveInfinity(upper) ? double.PositiveInfinity : (Math.Log(upper) - mu) / sigma;
        var mass = Phi(beta) - Phi(alpha);
        double Moment(int k) => Math.Exp(k * mu + k * k * sigma * sigma / 2) * (Phi(beta - k * sigma) - Phi(alpha - k * sigma)) / mass;
        var m1 = Moment(1);
        var variance = Math.Max(0, Moment(2) - m1 * m1);
        return (m1, Math.Sqrt(variance) / m1);
    }

    private static double MassWithin(double mu, double sigma, double lower, double upper)
    {
        var alpha = lower > 0 ? (Math.Log(lower) - mu) / sigma : double.NegativeInfinity;
        var beta = double.IsPositiveInfinity(upper) ? double.PositiveInfinity : (Math.Log(upper) - mu) / sigma;
        return Phi(beta) - Phi(alpha);
    }

    private static double Phi(double z) => double.IsNegativeInfinity(z) ? 0 : double.IsPositiveInfinity(z) ? 1 : Normal.CDF(0, 1, z);

    /// <summary>
    /// The parent (μ, σ) whose truncation to [lower, upper] comes closest to the target mean and cv, misfit measured as
    /// meanWeight·ln²(mean ratio) + ln²(cv ratio). Nelder–Mead from the untruncated fit; the caller checks how close it got.
    /// </summary>
    private static (double Mu, double Sigma) FitTruncated(double mean, double cv, double lower, double upper, double mu0, double sigma0, double meanWeight)
    {
        double Misfit(Vector<double> p)
        {
            var (m, c) = TruncatedMoments(p[0], Math.Exp(p[1]), lower, upper);
            return double.IsFinite(m) && double.IsFinite(c) && m > 0 && c > 0
                ? meanWeight * Math.Pow(Math.Log(m / mean), 2) + Math.Pow(Math.Log(c / cv), 2)
                : 1e12;
        }

        try
        {
            var best = NelderMeadSimplex.Minimum(
                ObjectiveFunction.Value(Misfit),
                Vector<double>.Build.Dense([mu0, Math.Log(sigma0)]),
                Vector<double>.Build.Dense([0.5, 0.3]),
                1e-12,
                5000).MinimizingPoint;
            return (best[0], Math.Exp(best[1]));
        }
        catch (MaximumIterationsException)
        {
            return (mu0, sigma0);
        }
    }
}
