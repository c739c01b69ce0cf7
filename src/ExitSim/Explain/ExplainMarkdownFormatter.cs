using System.Text;
using ExitSim.Reports;
using static ExitSim.Explain.ExplainWords;

namespace ExitSim.Explain;

/// <summary>An <see cref="Explanation"/> as Markdown: headings, a KPI table and the ranking as a table.</summary>
public static class ExplainMarkdownFormatter
{
    public static string Format(Explanation e)
    {
        var w = new StringBuilder();
        var r = e.Report;
        w.Append($"## {Title(e)}\n\n");
        if (e.Description is not null) w.Append(e.Description).Append("\n\n");
        w.Append($"{Settings(e)}\n\n");

        w.Append($"### {KpiHeading(e)}\n\n");
        w.Append("| KPI | value | target | |\n|---|---:|---:|---|\n");
        foreach (var k in r.Kpis.OrderBy(k => k.Ok))
            w.Append(F("| {0} | {1} | < {2} | {3} |\n", k.Name, PerfTableFormatter.KpiValue(k.Value, k.Unit), PerfTableFormatter.KpiValue(k.Target, k.Unit), k.Ok ? "ok" : "**missed**"));
        w.Append('\n');

        w.Append($"### {WhereHeading(e)}\n\n");
        if (e.Hotspots.Length == 0) w.Append("No exits were measured.\n");
        foreach (var h in e.Hotspots) w.Append("- ").Append(Bold(Hotspot(h), h.Reason)).Append('\n');
        w.Append($"\nBy phase, over all exits: {Phases(e)}.\n\n");

        w.Append($"### {RankingHeading(e)}\n\n");
        if (e.Ranking.Length == 0) w.Append("No optimisation plug-in changes anything in this scenario (below).\n\n");
        else
        {
            w.Append($"{MetricNote(e)} {EffectNote(e)}\n\n");
            w.Append($"| # | change | {e.Metric.Label} | 95 % CI | exits/s | mean exit latency | mechanism |\n|---:|---|---:|---:|---:|---:|---|\n");
            foreach (var x in e.Ranking)
                w.Append(F("| {0} | {1} | {2} | {3} | {4} | {5} | {6} |\n", x.Rank, x.Name, Delta(x.Effect), Ci(x), Delta(x.ExitsPerSecond), Delta(x.MeanExitLatency), x.Summary));
            w.Append('\n');
        }
        if (e.Skipped.Length > 0)
        {
            w.Append("### Not ranked\n\n");
            foreach (var s in e.Skipped) w.Append($"- {s.Name}: {Kind(s.Kind)}: {s.Reason}\n");
            w.Append('\n');
        }
        foreach (var warning in r.Warnings) w.Append("> warning: ").Append(warning).Append('\n');
        return w.ToString();
    }

    private static string Bold(string line, string prefix) => line.StartsWith(prefix, StringComparison.Ordinal) ? $"**{prefix}**{line[prefix.Length..]}" : line;
}
