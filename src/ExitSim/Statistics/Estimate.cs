using MathNet.Numerics.Distributions;

namespace ExitSim.Statistics;

/// <summary>A mean over replications with the half-width of its 95 % Student-t confidence interval.</summary>
public sealed record Estimate(double Mean, double HalfWidth95, int N)
{
    public double Low => Mean - HalfWidth95;
    public double High => Mean + HalfWidth95;

    public static Estimate Of(IReadOnlyList<double> values)
    {
        int n = values.Count;
        if (n == 0) return new Estimate(double.NaN, double.NaN, 0);
        double mean = values.Average();
        if (n < 2) return new Estimate(mean, double.NaN, n);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        return new Estimate(mean, StudentT.InvCDF(0, 1, n - 1, 0.975) * sd / Math.Sqrt(n), n);
    }
}
