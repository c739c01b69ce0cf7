using System.Globalization;
using System.Text;

namespace ExitSim.Comparison;

/// <summary>A comparison as CSV: one row per metric, with the comparison's identity on every row.</summary>
public static class ComparisonCsvFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(ComparisonResult c)
    {
        var w = new StringBuilder("scenario,change,seed,replications,metric,before,after,delta_pct,ci95_pct\n");
        foreach (var r in c.Metrics)
            w.Append(string.Join(",", Field(c.Scenario), Field(c.Change), c.Seed.ToString(Inv), c.Replications.ToString(Inv), r.Name,
                N(r.Before), N(r.After), double.IsFinite(r.DeltaPct) ? N(r.DeltaPct) : "", r.Ci95Pct is { } h ? N(h) : "")).Append('\n');
        return w.ToString();
    }

    private static string N(double v) => v.ToString("R", Inv);

    private static string Field(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
