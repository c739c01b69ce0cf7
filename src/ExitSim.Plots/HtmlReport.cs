using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExitSim.Reports;
using ExitSim.Units;

namespace ExitSim.Plots;

/// <summary>
/// The report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts and
/// nothing fetched, so it can be mailed or archived as a single file. All text from the scenario
/// is HTML-escaped.
/// </summary>
public static partial class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const string Css = """
        body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1260px; padding: 0 1em; color: #222; }
        h1 { font-size: 1.7em; margin-bottom: 0.2em; }
        h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
        p.description { color: #444; margin-top: 0; }
        table { border-collapse: collapse; margin: 0.5em 0; }
        th, td { padding: 0.3em 0.8em; border: 1px solid #ddd; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #f3f3f3; }
        tr.pass td.status { background: #e3f4e1; color: #1b5e20; font-weight: bold; }
        tr.fail td.status { background: #fde3e1; color: #b71c1c; font-weight: bold; }
        pre { background: #f7f7f7; border: 1px solid #ddd; padding: 0.8em; overflow-x: auto; font-size: 0.85em; line-height: 1.35; }
        ul.warnings li { color: #b71c1c; }
        figure { margin: 1.5em 0; }
        figcaption { font-weight: bold; margin-bottom: 0.4em; }
        figure svg { width: 100%; height: auto; max-width: 1200px; border: 1px solid #eee; }
        """;

    /// <param name="charts">SVG documents as <see cref="Chart.ToSvg"/> returns them (ids are renamed per chart so they cannot clash).</param>
    public static string Format(RunReport report, IReadOnlyList<(string Title, string Svg)> charts)
    {
        var w = new StringBuilder();
        w.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        w.Append("<title>ExitSim report: ").Append(E(PerfTableFormatter.Arm(report))).Append("</title>\n");
        w.Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");

        w.Append("<h1>ExitSim report: ").Append(E(PerfTableFormatter.Arm(report))).Append("</h1>\n");
        if (!string.IsNullOrEmpty(report.Description)) w.Append("<p class=\"description\">").Append(E(report.Description)).Append("</p>\n");
        Summary(w, report);

        w.Append("<h2>Exits by reason</h2>\n<pre>").Append(E(PerfTableFormatter.Format(report))).Append("</pre>\n");
        Kpis(w, report);
        Phases(w, report);

        w.Append("<h2>Warnings</h2>\n");
        if (report.Warnings.Length == 0) w.Append("<p>None.</p>\n");
        else
        {
            w.Append("<ul class=\"warnings\">\n");
            foreach (var warning in report.Warnings) w.Append("<li>").Append(E(warning)).Append("</li>\n");
            w.Append("</ul>\n");
        }

        if (charts.Count > 0) w.Append("<h2>Charts</h2>\n");
        for (int i = 0; i < charts.Count; i++)
        {
            w.Append("<figure>\n<figcaption>").Append(E(charts[i].Title)).Append("</figcaption>\n");
            w.Append(InlineSvg(charts[i].Svg, $"chart{i + 1}-", charts[i].Title)).Append("\n</figure>\n");
        }
        w.Append("</body>\n</html>\n");
        return w.ToString();
    }

    private static void Summary(StringBuilder w, RunReport r)
    {
        w.Append("<h2>Scenario and summary</h2>\n<table class=\"summary\">\n");
        Row(w, "host", $"{r.Vendor}, {r.VmCount} VM × {r.VcpusPerVm} vCPUs");
        Row(w, "optimisations", r.Optimisations.Length == 0 ? "none applied" : string.Join(", ", r.Optimisations));
        Row(w, "run", string.Format(Inv, "{0} replication{1} × {2} s simulated after {3} s warm-up, seed {4}",
            r.Replications, r.Replications == 1 ? "" : "s", Num(r.SimulatedSeconds), Num(r.WarmupSeconds), r.Seed));
        Row(w, "wall time", Num(r.WallSeconds) + " s");
        Row(w, "ExitSim", r.Version);
        Row(w, "exits measured", r.ExitsTotal.ToString("#,0", Inv));
        Row(w, "exits/s per VM", UnitFormat.Rate(r.ExitsPerSecond) + Pm(r.ExitsPerSecondCi95, UnitFormat.Rate));
        Row(w, "mean exit latency", UnitFormat.Time(r.MeanExitLatencyNs) + Pm(r.MeanExitLatencyNsCi95, UnitFormat.Time));
        Row(w, "guest time", Pct(r.GuestTimeFraction) + Pm(r.GuestTimeFractionCi95, Pct));
        Row(w, "I/O exit share", r.IoExitSharePct.ToString("0.00", Inv) + " %");
        Row(w, "QEMU threads", string.Format(Inv, "{0}, utilisation mean {1:0.0} % max {2:0.0} %, mean wait {3}{4}",
            r.Qemu.Threads, 100 * r.Qemu.MeanUtilisation, 100 * r.Qemu.MaxUtilisation, UnitFormat.Time(r.Qemu.MeanWaitNs),
            r.Qemu.Saturated ? " (saturated)" : ""));
        if (r.Workload is { } x)
        {
            string P(Percentiles p) => p.Count == 0 ? "–" : $"p50 {UnitFormat.Time(p.P50Ns)}, p99 {UnitFormat.Time(p.P99Ns)}, p99.9 {UnitFormat.Time(p.P999Ns)}";
            Row(w, "throughput", Num(Math.Round(x.ThroughputOpsPerSecond)) + " " + x.Operation + "/s" + Pm(x.ThroughputCi95, v => Num(Math.Round(v))));
            Row(w, x.Operation + " latency", P(x.OperationLatency));
            Row(w, "storage latency", P(x.StorageLatency));
            Row(w, "disk requests", UnitFormat.Rate(x.DiskRequestsPerSecond) + string.Format(Inv, ", {0:0.00} I/O exits per request", x.IoExitsPerDiskRequest));
            Row(w, "interrupts", UnitFormat.Rate(x.InterruptsPerSecond) + ", posted " + UnitFormat.Rate(x.PostedInterruptsPerSecond));
            Row(w, "halted", string.Format(Inv, "{0:0.00} % of vCPU time ({1:0.00} % polling)", x.HaltedPct, x.HaltPollPct));
        }
        w.Append("</table>\n<p>± is the 95 % confidence half-width over replications.</p>\n");
    }

    private static void Kpis(StringBuilder w, RunReport r)
    {
        w.Append("<h2>KPIs</h2>\n<table class=\"kpis\">\n<tr><th>KPI</th><th>value</th><th>target</th><th>status</th><th>definition</th></tr>\n");
        foreach (var k in r.Kpis)
        {
            w.Append("<tr class=\"").Append(k.Ok ? "pass" : "fail").Append("\"><td>").Append(E(k.Name)).Append("</td>");
            w.Append("<td class=\"num\">").Append(E(ValueFormat.WithUnit(k.Value, k.Unit))).Append("</td>");
            w.Append("<td class=\"num\">&lt; ").Append(E(ValueFormat.WithUnit(k.Target, k.Unit))).Append("</td>");
            w.Append("<td class=\"status\">").Append(k.Ok ? "pass" : "fail").Append("</td>");
            w.Append("<td>").Append(E(k.Definition)).Append("</td></tr>\n");
        }
        w.Append("</table>\n");
    }

    private static void Phases(StringBuilder w, RunReport r)
    {
        w.Append("<h2>Exit time by phase</h2>\n<table class=\"phases\">\n<tr><th>phase</th><th>share of exit time</th><th>mean per exit</th></tr>\n");
        foreach (var p in r.Phases)
            w.Append("<tr><td>").Append(E(p.Phase)).Append("</td><td class=\"num\">").Append(p.SharePct.ToString("0.0", Inv))
             .Append(" %</td><td class=\"num\">").Append(E(UnitFormat.Time(p.MeanPerExitNs))).Append("</td></tr>\n");
        w.Append("</table>\n");
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<svg\b")]
    private static partial Regex SvgStart();

    [GeneratedRegex(@"<svg\b[^>]*?\bwidth=""([\d.]+)""[^>]*?\bheight=""([\d.]+)""")]
    private static partial Regex SvgSize();

    /// <summary>
    /// An SVG document as an element of the page: no XML declaration or namespace attributes (HTML
    /// knows inline SVG), ids renamed per chart, and a viewBox so CSS can scale it.
    /// </summary>
    private static string InlineSvg(string svg, string idPrefix, string title)
    {
        svg = SvgIds.Renumber(XmlDeclaration().Replace(svg, ""), idPrefix, dropNamespaces: true).Trim();
        var attributes = new StringBuilder($" role=\"img\" aria-label=\"{E(title)}\"");
        if (!svg.Contains("viewBox", StringComparison.Ordinal) && SvgSize().Match(svg) is { Success: true } size)
            attributes.Append($" viewBox=\"0 0 {size.Groups[1].Value} {size.Groups[2].Value}\"");
        return SvgStart().Replace(svg, _ => "<svg" + attributes, 1);   // an evaluator: titles may contain "$1"
    }

    private static void Row(StringBuilder w, string name, string value) =>
        w.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    /// <summary>HTML-escapes the five special characters; other text stays as it is (the page is UTF-8).</summary>
    private static string E(string text)
    {
        var w = new StringBuilder(text.Length + 16);
        foreach (char c in text)
            w.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return w.ToString();
    }
    private static string Num(double v) => v.ToString("0.###", Inv);
    private static string Pct(double fraction) => (100 * fraction).ToString("0.00", Inv) + " %";
    private static string Pm(double? ci, Func<double, string> format) => ci is { } c ? " ± " + format(c) : "";
}
