using System.Globalization;
using System.Text;

namespace ExitSim.Sweeps;

/// <summary>A sweep as CSV: one row per point, each metric with its 95 % half-width.</summary>
public static class SweepCsvFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(SweepResult s)
    {
        var w = new StringBuilder("point," + string.Join(",", s.Vary.Select(a => Field(a.Key))) + "," +
                                  string.Join(",", SweepMetrics.Names.SelectMany(n => new[] { n, n + "_ci95" })) + "\n");
        foreach (var p in s.Points)
            w.Append(p.Index.ToString(Inv)).Append(',').Append(string.Join(",", p.Values.Select(Field))).Append(',')
             .Append(string.Join(",", p.Metrics.SelectMany(m => new[] { N(m.Mean), m.Ci95 is { } c ? N(c) : "" }))).Append('\n');
        return w.ToString();
    }

    private static string N(double v) => v.ToString("R", Inv);

    private static string Field(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
