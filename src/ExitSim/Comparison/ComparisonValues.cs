using System.Globalization;
using ExitSim.Running;
using ExitSim.Units;

namespace ExitSim.Comparison;

/// <summary>How the comparison formatters write a metric's value and its change.</summary>
internal static class ComparisonValues
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Value(Metric m, double v) => m.Unit switch
    {
        "/s" => UnitFormat.Rate(v),
        "ns" => UnitFormat.Time(v),
        "ops/s" => UnitFormat.Rate(v).Replace("/s", " ops/s"),
        _ => (m.Scale * v).ToString("0.00", Inv) + "%",
    };

    /// <summary>The change: in percentage points for a share (85.6 % → 25.3 % is −60.3 pp, not −70 %), else in % of before.</summary>
    public static string Change(Metric m, ComparisonRow r) =>
        m.IsPercentage ? (m.Scale * r.Delta).ToString("+0.00;-0.00;0.00", Inv) + " pp"
        : double.IsInfinity(r.DeltaPct) ? "new" : r.DeltaPct.ToString("+0.00;-0.00;0.00", Inv) + "%";

    /// <summary>The 95 % half-width of the change, in the change's unit; says so when there are too few replications to know it.</summary>
    public static string Ci(Metric m, ComparisonRow r, int replications) =>
        r.Ci95 is not { } h ? (replications >= 2 ? Unknown(replications) : "-")
        : m.IsPercentage ? "± " + (m.Scale * h).ToString("0.00", Inv) + " pp"
        : r.Ci95Pct is { } pct ? "± " + pct.ToString("0.00", Inv) + "%" : "-";

    /// <summary>A percentile's replications agreed to the histogram bucket: its interval is unknown, not zero.</summary>
    public static string Unknown(int replications) => $"? (n={replications} too small)";

    public static string Heading(ComparisonResult c) =>
        $"{c.Scenario}: {c.Change} ({c.Replications} paired replications, seed {c.Seed}, common random numbers; ExitSim {c.Version})";
}
