using System.Text;
using ExitSim.Running;

namespace ExitSim.Comparison;

/// <summary>A comparison as a GitHub-flavoured Markdown table (no wall-clock time: the file is reproducible).</summary>
public static class ComparisonMarkdownFormatter
{
    public static string Format(ComparisonResult c)
    {
        var w = new StringBuilder($"## {ComparisonValues.Heading(c)}\n\n");
        w.Append("| metric | before | after | change | 95 % CI of the change |\n|---|---:|---:|---:|---:|\n");
        foreach (var r in c.Metrics)
        {
            var m = MetricTable.Get(r.Name);
            w.Append($"| {r.Name} | {ComparisonValues.Value(m, r.Before)} | {ComparisonValues.Value(m, r.After)} | {ComparisonValues.Change(m, r)} | {ComparisonValues.Ci(m, r, c.Replications)} |\n");
        }
        return w.ToString();
    }
}
