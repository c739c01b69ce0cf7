using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.RootFinding;

namespace ExitSim.Calibration.Fitting;

/// <summary>Maximum-likelihood estimates of the candidate families for positive per-exit times (ns).</summary>
internal static class MaximumLikelihood
{
    public static Exponential Exponential(IReadOnlyList<double> xs) => new(1.0 / xs.Average());

    /// <summary>μ and σ of ln x with the MLE (1/n) variance.</summary>
    public static LogNormal Lognormal(IReadOnlyList<double> xs)
    {
        var mu = xs.Average(Math.Log);
        var sigma = Math.Sqrt(xs.Average(x => Math.Pow(Math.Log(x) - mu, 2)));
        return new LogNormal(mu, sigma);
    }

    /// <summary>Shape from ln k − ψ(k) = ln mean − mean(ln x) by Brent, started at the Minka approximation; rate k/mean.</summary>
    public static Gamma Gamma(IReadOnlyList<double> xs)
    {
        var mean = xs.Average();
        var s = Math.Log(mean) - xs.Average(Math.Log);
        var k0 = (3 - s + Math.Sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
        var k = Brent.FindRootExpand(k => Math.Log(k) - SpecialFunctions.DiGamma(k) - s, k0 * 0.5, k0 * 2, 1e-12, 200);
        return new Gamma(k, k / mean);
    }

    /// <summary>MathNet's estimator, or the profile-likelihood equation for the shape when it fails.</summary>
    public static Weibull Weibull(IReadOnlyList<double> xs)
    {
        try
        {
            var estimate = MathNet.Numerics.Distributions.Weibull.Estimate(xs);
            if (double.IsFinite(estimate.Shape) && double.IsFinite(estimate.Scale) && estimate.Shape > 0 && estimate.Scale > 0)
            {
                return estimate;
            }
        }
        catch (Exception e) when (e is ArgumentException or NonConvergenceException or InvalidOperationException)
        {
            // fall through to the direct solution
        }

        return WeibullByProfileLikelihood(xs);
    }

    /// <summary>Solves Σx^k ln x / Σx^k − 1/k − mean(ln x) = 0 for k (data scaled by the mean to keep x^k finite), then λ = (Σx^k/n)^(1/k).</summary>
    private static Weibull WeibullByProfileLikelihood(IReadOnlyList<double> xs)
    {
        var unit = xs.Average();
        var ys = xs.Select(x => x / unit).ToArray();
        var meanLog = ys.Average(Math.Log);
        double Score(double k)
        {
            double sumPow = 0, sumPowLog = 0;
            foreach (var y in ys)
            {
                var p = Math.Pow(y, k);
                sumPow += p;
                sumPowLog += p * Math.Log(y);
            }

            return sumPowLog / sumPow - 1 / k - meanLog;
        }

        var k = Brent.FindRootExpand(Score, 0.2, 5, 1e-10, 200);
        var scale = Math.Pow(ys.Average(y => Math.Pow(y, k)), 1 / k) * unit;
        return new Weibull(k, scale);
    }
}
