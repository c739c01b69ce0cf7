namespace ExitSim.Calibration.Fitting;

/// <summary>One-sample Kolmogorov–Smirnov distance and its asymptotic p-value.</summary>
public static class KolmogorovSmirnov
{
    /// <summary>sup |F_n(x) − F(x)| for sorted data.</summary>
    public static double Distance(IReadOnlyList<double> sorted, Func<double, double> cdf)
    {
        var n = (double)sorted.Count;
        var distance = 0.0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var f = cdf(sorted[i]);
            distance = Math.Max(distance, Math.Max((i + 1) / n - f, f - i / n));
        }

        return distance;
    }

    /// <summary>
    /// P(D ≥ d) from the Kolmogorov distribution with Stephens' small-sample correction
    /// λ = (√n + 0.12 + 0.11/√n)·d, Q(λ) = 2 Σ (−1)^(j−1) e^(−2j²λ²).
    /// With parameters estimated from the same data the true p-value is smaller (Lilliefors), so this rejects less often.
    /// </summary>
    public static double PValue(double distance, long n)
    {
        var root = Math.Sqrt(n);
        var lambda = (root + 0.12 + 0.11 / root) * distance;
        if (lambda < 0.2)
        {
            return 1.0; // the series converges slowly here and the sum is 1 to double precision
        }

        var sum = 0.0;
        for (var j = 1; j <= 100; j++)
        {
            var term = Math.Exp(-2.0 * j * j * lambda * lambda);
            sum += j % 2 == 1 ? term : -term;
            if (term < 1e-16)
            {
                break;
            }
        }

        return Math.Clamp(2.0 * sum, 0.0, 1.0);
    }
}
