using System.Text;
using ExitSim.Running;

namespace ExitSim.Comparison;

/// <summary>A comparison as a fixed-width before/after table for the terminal.</summary>
public static class ComparisonTextFormatter
{
    public static string Format(ComparisonResult c)
    {
        var w = new StringBuilder(ComparisonValues.Heading(c)).Append("\n\n");
        w.Append($"{"metric",-26} {"before",14} {"after",14} {"change",10}  {"95 % CI",10}\n");
        foreach (var r in c.Metrics)
        {
            var m = MetricTable.Get(r.Name);
            w.Append($"{r.Name,-26} {ComparisonValues.Value(m, r.Before),14} {ComparisonValues.Value(m, r.After),14} {ComparisonValues.Change(m, r),10}  {ComparisonValues.Ci(m, r, c.Replications),10}\n");
        }
        return w.ToString();
    }
}
