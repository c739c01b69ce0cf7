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

    public static string Change(ComparisonRow r) =>
        double.IsInfinity(r.DeltaPct) ? "new" : r.DeltaPct.ToString("+0.00;-0.00;0.00", Inv) + "%";

    public static string Ci(ComparisonRow r) => r.Ci95Pct is { } h ? "± " + h.ToString("0.00", Inv) + "%" : "-";

    public static string Heading(ComparisonResult c) =>
        $"{c.Scenario}: {c.Change} ({c.Replications} paired replications, seed {c.Seed}, common random numbers)";
}
