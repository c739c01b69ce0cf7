using System.Text;
using ExitSim.Reports;
using static ExitSim.Explain.ExplainWords;

namespace ExitSim.Explain;

/// <summary>An <see cref="Explanation"/> as indented text for the terminal. No wall-clock time: output is reproducible.</summary>
public static class ExplainTextFormatter
{
    public static string Format(Explanation e)
    {
        var w = new StringBuilder();
        var r = e.Report;
        w.Append(Title(e)).Append('\n');
        if (e.Description is not null) w.Append("  ").Append(e.Description).Append('\n');
        w.Append($"  ({Settings(e)})\n\n");

        w.Append(KpiHeading(e)).Append('\n');
        foreach (var k in r.Kpis.OrderBy(k => k.Ok))
            w.Append(F("  {0,-20} {1,12}  target < {2,-10} {3}\n", k.Name, PerfTableFormatter.KpiValue(k.Value, k.Unit), PerfTableFormatter.KpiValue(k.Target, k.Unit), k.Ok ? "ok" : "MISSED"));
        w.Append('\n');

        w.Append(WhereHeading(e)).Append('\n');
        if (e.Hotspots.Length == 0) w.Append("  no exits were measured\n");
        foreach (var h in e.Hotspots) w.Append("  ").Append(Hotspot(h)).Append('\n');
        w.Append($"  By phase, over all exits: {Phases(e)}\n\n");

        w.Append(RankingHeading(e)).Append('\n');
        if (e.Ranking.Length == 0) w.Append("  no optimisation plug-in changes anything in this scenario (below)\n\n");
        else
        {
            w.Append($"  {MetricNote(e)}\n  {EffectNote(e)}\n\n");
            int width = Math.Max(12, e.Ranking.Max(x => x.Name.Length));
            w.Append(F("  {0,2}  {1} {2,10} {3,18} {4,9} {5,13}\n", "#", "change".PadRight(width), "effect", "95 % CI", "exits/s", "exit latency"));
            foreach (var x in e.Ranking)
            {
                w.Append(F("  {0,2}  {1} {2,10} {3,18} {4,9} {5,13}\n", x.Rank, x.Name.PadRight(width), Delta(x.Effect), Ci(x), Delta(x.ExitsPerSecond), Delta(x.MeanExitLatency)));
                w.Append(F("      {0}\n", x.Summary));
            }
            w.Append('\n');
        }
        if (e.Skipped.Length > 0)
        {
            w.Append("Not ranked\n");
            int width = e.Skipped.Max(s => s.Name.Length);
            foreach (var s in e.Skipped) w.Append($"  {s.Name.PadRight(width)}  {Kind(s.Kind)}: {s.Reason}\n");
            w.Append('\n');
        }
        foreach (var warning in r.Warnings) w.Append("warning: ").Append(warning).Append('\n');
        return w.ToString();
    }
}
