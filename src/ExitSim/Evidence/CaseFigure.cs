using ExitSim.Running;

namespace ExitSim.Evidence;

/// <summary>
/// The simulated figure a case compares, computed per replication and then averaged (with its 95 % CI):
/// a metric of one arm (<see cref="FigureKind.Value"/>), or of two arms paired replication by replication
/// (<see cref="FigureKind.Ratio"/> after/before, <see cref="FigureKind.Delta"/> after − before,
/// <see cref="FigureKind.Reduction"/> 100·(1 − after/before) in %). With <see cref="InCycles"/> a time
/// metric is read in cycles of the arm's host clock. <see cref="Identity"/>, when given, is the closed form
/// the figure must equal (to rounding): a counting identity of the model.
/// </summary>
public sealed record CaseFigure(FigureKind Kind, Metric Metric, bool InCycles, string After, string? Before, double? Identity)
{
    /// <summary>The unit the figure is in: <c>cyc</c>, <c>%</c> (a reduction), <c>x</c> (a ratio), else the metric's.</summary>
    public string Unit => Kind switch
    {
        FigureKind.Ratio => "x",
        FigureKind.Reduction => "%",
        _ => InCycles ? "cyc" : Metric.Unit,
    };
}

/// <summary>How a case's figure is formed from its arms.</summary>
public enum FigureKind { Value, Ratio, Delta, Reduction }
