using System.Globalization;
using System.Text;
using ExitSim.Running;

namespace ExitSim.Comparison;

/// <summary>A comparison as CSV: one row per metric, with the comparison's identity on every row (delta and ci95 as in JSON).</summary>
public static class ComparisonCsvFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(ComparisonResult c)
    {
        var w = new StringBuilder("scenario,change,seed,replications,version,metric,unit,before,after,delta,ci95,delta_pct,ci95_pct\n");
        foreach (var r in c.Metrics)
            w.Append(string.Join(",", Field(c.Scenario), Field(c.Change), c.Seed.ToString(Inv), c.Replications.ToString(Inv), c.Version, r.Name, MetricTable.Get(r.Name).Unit,
                N(r.Before), N(r.After), N(r.Delta), r.Ci95 is { } ci ? N(ci) : "", double.IsFinite(r.DeltaPct) ? N(r.DeltaPct) : "", r.Ci95Pct is { } h ? N(h) : "")).Append('\n');
        return w.ToString();
    }

    private static string N(double v) => v.ToString("R", Inv);

    private static string Field(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
