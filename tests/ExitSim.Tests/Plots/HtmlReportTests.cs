using System.Text.RegularExpressions;
using ExitSim.Plots;
using ExitSim.Reports;

namespace ExitSim.Tests.Plots;

[Collection(PlotCollection.Name)]
public sealed class HtmlReportTests(SampleRun sample)
{
    private const string NastyName = "<b>&\"x\"</b>";

    private RunReport Nasty() => sample.Report with
    {
        Scenario = NastyName,
        Description = "a < b & c > d, \"quoted\" 'single' <script>alert(1)</script> <img src=x>",
        Warnings = ["QEMU <thread> saturated & throttling"],
    };

    [Fact]
    public void User_text_is_escaped_everywhere()
    {
        var report = Nasty();
        string html = HtmlReport.Format(report, ChartSet.RunChartSvgs(report, sample.Timeline));

        Assert.DoesNotContain(NastyName, html);
        Assert.Contains("<title>ExitSim report: &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</title>", html);
        Assert.Contains("<h1>ExitSim report: &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</h1>", html);
        Assert.Contains("a &lt; b &amp; c &gt; d, &quot;quoted&quot; &#39;single&#39; &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x&gt;", html);
        Assert.Contains("QEMU &lt;thread&gt; saturated &amp; throttling", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html);
        // In chart titles (SVG text and captions) too.
        Assert.DoesNotContain(">" + NastyName, html);
        Assert.Contains("Exit rate over simulated time: &lt;b&gt;&amp;", html);
    }

    [Fact]
    public void The_page_is_self_contained_with_every_chart_inline()
    {
        var charts = ChartSet.RunChartSvgs(sample.Report, sample.Timeline);
        string html = HtmlReport.Format(sample.Report, charts);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("<?xml", html);
        Assert.Equal(4, Regex.Count(html, @"<svg\b"));
        Assert.Equal(4, Regex.Count(html, @"</svg>"));
        foreach (var (title, _) in charts) Assert.Contains($"<figcaption>{title}</figcaption>", html);   // titles of this run have nothing to escape

        // Every chart's clip paths get ids of their own: duplicates would make later charts clip to the first one's box.
        var ids = Regex.Matches(html, @"\bid=""([^""]+)""").Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        foreach (Match reference in Regex.Matches(html, @"url\(#([^)]+)\)")) Assert.Contains(reference.Groups[1].Value, ids);

        // The tables: perf-style text, KPIs with their status, phases.
        Assert.Contains("<pre>Analyze events for all VMs, all VCPUs:", html);
        Assert.Equal(sample.Report.Kpis.Count(k => k.Ok), Regex.Count(html, @"<tr class=""pass"">"));
        Assert.Equal(sample.Report.Kpis.Count(k => !k.Ok), Regex.Count(html, @"<tr class=""fail"">"));
        foreach (var p in sample.Report.Phases) Assert.Contains($"<tr><td>{p.Phase}</td>", html);
        Assert.Contains("<p>None.</p>", html);   // no warnings in this run
    }

    [Fact]
    public void Dollar_signs_in_titles_are_kept_verbatim()
    {
        var report = sample.Report with { Scenario = "cost $1 $& $$" };
        string html = HtmlReport.Format(report, ChartSet.RunChartSvgs(report));
        Assert.Contains("aria-label=\"Exit time by reason and phase: cost $1 $&amp; $$\"", html);
    }

    [Fact]
    public void Kpi_rows_show_pass_and_fail()
    {
        var report = sample.Report with
        {
            Kpis = [new KpiRow("exit rate", 9_000, 10_000, "/s", true, "exits per second per VM"), new KpiRow("mean exit latency", 6_000, 1_500, "ns", false, "d")],
        };
        string html = HtmlReport.Format(report, []);
        Assert.Contains("<tr class=\"pass\"><td>exit rate</td><td class=\"num\">9k/s</td><td class=\"num\">&lt; 10k/s</td><td class=\"status\">pass</td>", html);
        Assert.Contains("<tr class=\"fail\"><td>mean exit latency</td><td class=\"num\">6us</td><td class=\"num\">&lt; 1.5us</td><td class=\"status\">fail</td>", html);
        Assert.DoesNotContain("<h2>Charts</h2>", html);
    }
}
