using ScottPlot.Plottables;

namespace ExitSim.Plots;

/// <summary>
/// 95 % CI whiskers for quantities that cannot fall below a floor — a rate, a time or a share is never
/// negative — so the lower arm stops at the floor instead of drawing an impossible value; on a log axis
/// (<paramref name="axis"/> = log10) the floor is the axis bottom.
/// </summary>
internal static class Whiskers
{
    public static ErrorBar Of(IReadOnlyList<double> xs, IReadOnlyList<double> ys, IReadOnlyList<double> ci, double floor = 0, Func<double, double>? axis = null)
    {
        axis ??= v => v;
        var at = new double[ys.Count];
        var up = new double[ys.Count];
        var down = new double[ys.Count];
        for (int i = 0; i < ys.Count; i++)
        {
            double half = Math.Abs(ci[i]);
            at[i] = axis(ys[i]);
            up[i] = axis(ys[i] + half) - at[i];
            down[i] = at[i] - axis(Math.Max(ys[i] - half, floor));
        }
        return new ErrorBar(xs.ToArray(), at, null, null, yErrorsPositive: up, yErrorsNegative: down);
    }
}
