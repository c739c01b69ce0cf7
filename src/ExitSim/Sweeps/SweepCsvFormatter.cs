using System.Globalization;
using System.Text;
using ExitSim.Running;

namespace ExitSim.Sweeps;

/// <summary>
/// A sweep as CSV: one row per point, every metric of <see cref="MetricTable"/> with its 95 % half-width;
/// empty where a point does not have the metric (no workload) or the half-width is unknown.
/// </summary>
public static class SweepCsvFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(SweepResult s)
    {
        var w = new StringBuilder("point," + string.Join(",", s.Vary.Select(a => Field(a.Key))) + "," +
                                  string.Join(",", MetricTable.All.SelectMany(m => new[] { m.Name, m.Name + "_ci95" })) + "\n");
        foreach (var p in s.Points)
            w.Append(p.Index.ToString(Inv)).Append(',').Append(string.Join(",", p.Values.Select(Field))).Append(',')
             .Append(string.Join(",", MetricTable.All.Select(m => p.Find(m.Name)).SelectMany(m => new[] { m is null ? "" : N(m.Mean), m?.Ci95 is { } c ? N(c) : "" })))
             .Append('\n');
        return w.ToString();
    }

    private static string N(double v) => v.ToString("R", Inv);

    private static string Field(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
