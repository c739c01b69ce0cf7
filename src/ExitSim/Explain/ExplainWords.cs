using System.Globalization;
using ExitSim.Comparison;
using ExitSim.Units;

namespace ExitSim.Explain;

/// <summary>The sentences and numbers the text and Markdown explanations share.</summary>
internal static class ExplainWords
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string F(string format, params object?[] args) => string.Format(Inv, format, args);

    public static string Title(Explanation e) => $"{e.Scenario}: what the exits cost, and what would help";

    public static string Settings(Explanation e) =>
        F("{0} replications × {1} simulated after {2} warm-up, seed {3}, ExitSim {4}: quick runs; `exitsim compare` for the full ones",
            e.Replications, UnitFormat.Time(e.SimulatedSeconds * 1e9), UnitFormat.Time(e.WarmupSeconds * 1e9), e.Seed, e.Report.Version);

    public static string KpiHeading(Explanation e) => e.MissedKpis.Length == 0 ? $"KPIs: all {e.Report.Kpis.Length} met"
        : $"KPIs: {e.MissedKpis.Length} of {e.Report.Kpis.Length} missed ({string.Join(", ", e.MissedKpis.Select(k => k.Name))})";

    public static string WhereHeading(Explanation e)
    {
        var r = e.Report;
        string headline = F("exits/s {0}, mean exit latency {1}", UnitFormat.Rate(r.ExitsPerSecond), UnitFormat.Time(r.MeanExitLatencyNs));
        if (r.Workload is { } wl) headline += F(", throughput {0} {1}/s", Number(wl.ThroughputOpsPerSecond), wl.Operation);
        return $"Where exit time goes ({headline})";
    }

    public static string Hotspot(ReasonHotspot h) =>
        F("{0}: {1:0} % of exit time ({2:0.#} % of exits, {3}, {4} each), mostly {5}",
            h.Reason, h.TimePct, h.SamplesPct, UnitFormat.Rate(h.RatePerSecond), UnitFormat.Time(h.MeanNs),
            string.Join(" and ", h.Dominant.Select(p => F("{0} {1:0} %", p.Label, p.SharePct))));

    public static string Phases(Explanation e) =>
        string.Join(", ", e.Phases.Where(p => p.SharePct > 0).Select(p => F("{0} {1:0.0} %", p.Label, p.SharePct)));

    public static string RankingHeading(Explanation e) =>
        $"What would help most, simulated: ranked by {e.Metric.Label}, {(e.Metric.HigherIsBetter ? "higher" : "lower")} is better";

    public static string MetricNote(Explanation e) => F("{0}: {1} ({2}).", e.Metric.Label, e.Metric.Definition, Before(e));

    public static string EffectNote(Explanation e) =>
        F("Effect: its change {1}, ± the 95 % CI of the paired difference ({0} replications each, common random numbers); \"noise\" when the CI includes zero.",
            e.Replications, ExplainRunner.MetricOf(e.Metric.Name).IsPercentage ? "in percentage points" : "in % of before");

    private static string Before(Explanation e)
    {
        var r = e.Report;
        if (e.Metric.Name == ExplainRunner.ExitTimeShare) return F("before: {0:0.00} % of vCPU time", 100 * (1 - r.GuestTimeFraction));
        if (e.Metric.Name == Running.MetricTable.Throughput.Name && r.Workload is { } wl) return $"before: {Number(wl.ThroughputOpsPerSecond)} {wl.Operation}/s";
        return "before: see the report";
    }

    public static string Kind(SkipKind k) => k switch
    {
        SkipKind.Refused => "not applicable",
        SkipKind.AlreadyInEffect => "already on",
        _ => "no effect",
    };

    /// <summary>A row's change: in percentage points for a share, else in % of before.</summary>
    public static string Delta(ComparisonRow x) => ExplainRunner.MetricOf(x.Name) is { IsPercentage: true } m
        ? (m.Scale * x.Delta).ToString("+0.0;-0.0;0.0", Inv) + " pp"
        : double.IsInfinity(x.DeltaPct) ? "new" : x.DeltaPct.ToString("+0.0;-0.0;0.0", Inv) + " %";

    public static string Ci(Recommendation x)
    {
        var m = ExplainRunner.MetricOf(x.Effect.Name);
        string ci = x.Effect.Ci95 is not { } h ? $"? (n={x.Comparison.Replications} too small)"
            : m.IsPercentage ? "± " + (m.Scale * h).ToString("0.0", Inv) + " pp"
            : x.Effect.Ci95Pct is { } pct ? "± " + pct.ToString("0.0", Inv) + " %" : "-";
        return ci + (x.Significant ? "" : " (noise)");
    }

    public static string Number(double v) => v.ToString(v >= 100 ? "#,0" : "0.##", Inv);
}
