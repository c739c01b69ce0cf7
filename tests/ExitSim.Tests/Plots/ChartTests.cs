using ExitSim.Plots;
using ExitSim.Reports;

namespace ExitSim.Tests.Plots;

[Collection(PlotCollection.Name)]
public sealed class ChartTests(SampleRun sample) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Svg, string[] Texts) WriteAndRead(Chart chart, string name)
    {
        var files = chart.Write(_dir.File(name));
        Assert.Equal(_dir.File(name + ".png"), files.Png);
        Assert.Equal(_dir.File(name + ".svg"), files.Svg);
        ChartAssert.IsPng(files.Png);
        string svg = File.ReadAllText(files.Svg);
        Assert.True(svg.Length > 5_000, $"{files.Svg}: only {svg.Length} characters");
        return (svg, ChartAssert.Texts(svg));
    }

    [Fact]
    public void Exit_time_by_reason_has_a_bar_label_per_reason_sorted_by_total()
    {
        var (svg, texts) = WriteAndRead(new ExitTimeByReasonChart(sample.Report, ExitTimeScale.MicrosecondsPerSecond), "exit-time");
        ChartAssert.HasLabels(svg, "Exit time by reason and phase: seed-database",
            "exit time per second of simulated time, per VM (µs/s)", "exit reason", "save", "handle", "wait", "emulate", "reenter");
        foreach (var r in sample.Report.Reasons.Where(r => r.Samples > 0)) Assert.Contains(r.Name, texts);
        // The emulated devices' MMIO exits (EPT_MISCONFIG) dominate the database scenario: its total label is the largest number.
        var totals = texts.Where(t => t.EndsWith("µs/s", StringComparison.Ordinal) && !t.StartsWith("exit", StringComparison.Ordinal))
            .Select(t => double.Parse(t.Replace("µs/s", "").Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(sample.Report.Reasons.Count(r => r.Samples > 0), totals.Length);
        var io = sample.Report.Reasons.Single(r => r.Name == "EPT_MISCONFIG");
        double ioUsPerS = (io.MeanSaveNs + io.MeanHandleNs + io.MeanWaitNs + io.MeanEmulateNs + io.MeanReenterNs) * io.RatePerSecond / 1e3;
        Assert.Equal(ioUsPerS, totals.Max(), ioUsPerS * 0.001);
    }

    [Fact]
    public void Exit_time_as_share_of_vcpu_time_adds_up_to_the_exit_time_fraction()
    {
        var (svg, texts) = WriteAndRead(new ExitTimeByReasonChart(sample.Report, ExitTimeScale.PercentOfVcpuTime), "exit-share");
        ChartAssert.HasLabels(svg, "share of the VM's vCPU time (4 vCPUs) spent in exits (%)");
        double sum = texts.Where(t => t.EndsWith(" %", StringComparison.Ordinal) && char.IsDigit(t[0]))
            .Sum(t => double.Parse(t[..^2], System.Globalization.CultureInfo.InvariantCulture));
        // Rounded labels: within a few hundredths of a percent of the exit share of all vCPU time
        // (the guest-time fraction is of the time the vCPUs had work; the rest of the time they were halted).
        double busy = 1 - sample.Report.Workload!.HaltedPct / 100;
        Assert.Equal(100 * (1 - sample.Report.GuestTimeFraction) * busy, sum, 0.05);
    }

    [Fact]
    public void Comparison_labels_bars_with_absolute_values_and_the_change()
    {
        var rows = new List<(string, double, double, double, double, string)>
        {
            ("exit rate", 90_000, 1_200, 36_000, 600, "/s"),
            ("mean exit latency", 6_050, 50, 4_200, 30, "ns"),
            ("I/O exit share", 49.7, 0, 18.5, 0, "%"),
        };
        var (svg, texts) = WriteAndRead(new ComparisonChart(rows, "database: before and after"), "comparison");
        ChartAssert.HasLabels(svg, "database: before and after", "exit rate", "mean exit latency", "I/O exit share", "before", "after", "95 % CI of the change");
        string all = string.Join("\n", texts);
        Assert.Contains("90k/s", all);
        Assert.Contains("36k/s", all);
        Assert.Contains("−60 % ± 0.67", all);      // the change and its CI (600/s of 90k/s)
        Assert.Contains("6.05us", all);
        Assert.Contains("−30.6 % ± 0.5", all);
        Assert.Contains("−31.2 pp", all);          // a share changes by percentage points (49.7 % → 18.5 %), not by −62.8 %
        Assert.DoesNotContain("−62.8 %", all);
    }

    [Fact]
    public void Latency_cdf_has_decade_ticks_in_microseconds_and_the_extra_series()
    {
        var io = sample.Report.LatencyCdfs.Single(c => c.Reason == "EPT_MISCONFIG");
        var chart = new LatencyCdfChart(sample.Report, [("operation latency", io.UpperNs.Select(x => x * 20).ToArray(), io.Fraction)]);
        var (svg, texts) = WriteAndRead(chart, "cdf");
        // With a series that is not exits, the chart no longer calls everything exit latency.
        ChartAssert.HasLabels(svg, "Exit and operation latency: seed-database", "latency, log scale (µs)",
            "fraction ≤ latency (cumulative)", "operation latency", "EPT_MISCONFIG", "1", "10", "100", "p50", "p99");
        var exitsOnly = ChartAssert.Texts(new LatencyCdfChart(sample.Report).ToSvg());
        Assert.Contains("Exit latency distribution by reason: seed-database", exitsOnly);
        Assert.Contains("exit latency, log scale (µs)", exitsOnly);
    }

    [Fact]
    public void Latency_cdf_rejects_a_series_whose_arrays_differ_in_length()
    {
        var chart = new LatencyCdfChart(sample.Report, [("broken", [1.0, 2.0], [0.5])]);
        Assert.Throws<ArgumentException>(() => chart.ToSvg());
    }

    [Fact]
    public void Exit_rate_timeline_marks_the_warm_up_and_the_mean()
    {
        var (svg, _) = WriteAndRead(new ExitRateTimelineChart(sample.Report), "timeline");
        ChartAssert.HasLabels(svg, "Exit rate over simulated time: seed-database (mean of 3 replications)", "simulated time (ms)",
            "exits per second per VM (exits/s)", "warm-up (discarded)", "exits/s per VM");
        Assert.Contains("measured mean " + ExitSim.Units.UnitFormat.Rate(sample.Report.ExitsPerSecond), ChartAssert.Texts(svg));
    }

    [Fact]
    public void Vcpu_gantt_has_a_lane_per_kind_and_names_exits()
    {
        var (svg, texts) = WriteAndRead(new VcpuGanttChart(sample.Timeline, "database"), "gantt");
        ChartAssert.HasLabels(svg, "vCPU 0 timeline, 300 µs from 200 ms: database", "time since 200 ms of simulated time (µs)",
            "vCPU 0", "guest", "save", "handle", "reenter");
        var reasons = sample.Timeline.Segments.Select(s => s.Reason).OfType<string>().ToHashSet();
        Assert.Contains(texts, reasons.Contains);
    }

    [Fact]
    public void Svg_is_byte_identical_for_the_same_input()
    {
        Chart[] Charts() =>
        [
            new ExitTimeByReasonChart(sample.Report), new LatencyCdfChart(sample.Report), new ExitRateTimelineChart(sample.Report),
            new VcpuGanttChart(sample.Timeline), new ComparisonChart([("x", 1, 0.1, 2, 0.2, "ns")]),
        ];
        var first = Charts().Select(c => c.ToSvg()).ToArray();
        var again = Charts().Select(c => c.ToSvg()).ToArray();
        Assert.Equal(first, again);
        // Written files too (Write renders separately from ToSvg).
        var written = Charts()[0].Write(_dir.File("again"));
        Assert.Equal(first[0], File.ReadAllText(written.Svg));
    }

    [Fact]
    public void Chart_set_writes_every_run_chart_under_stable_names()
    {
        var files = ChartSet.WriteRunCharts(sample.Report, _dir.File("charts"), sample.Timeline);
        string[] names = ["exit-time-by-reason", "latency-cdf", "exit-rate-timeline", "vcpu-timeline"];
        Assert.Equal(names.SelectMany(n => new[] { n + ".png", n + ".svg" }), files.Select(Path.GetFileName));
        foreach (var f in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal))) ChartAssert.IsPng(f);
        foreach (var f in files.Where(f => f.EndsWith(".svg", StringComparison.Ordinal))) ChartAssert.Texts(File.ReadAllText(f));

        Assert.Equal(6, ChartSet.WriteRunCharts(sample.Report, _dir.File("no-timeline")).Count);
    }

    [Fact]
    public void A_report_without_exits_still_gives_charts_that_say_so()
    {
        var empty = sample.Report with
        {
            ExitsTotal = 0, ExitsPerSecond = 0, Timeline = [], LatencyCdfs = [], Workload = null,
            Reasons = sample.Report.Reasons.Select(r => r with { Samples = 0, RatePerSecond = 0 }).ToArray(),
        };
        foreach (var c in ChartSet.RunCharts(empty))
        {
            var texts = ChartAssert.Texts(c.Chart.ToSvg());
            Assert.Contains(texts, t => t.StartsWith("no ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Size_can_be_changed()
    {
        var chart = new ExitRateTimelineChart(sample.Report) { Width = 640, Height = 400 };
        var root = System.Xml.Linq.XDocument.Parse(chart.ToSvg()).Root!;
        Assert.Equal("640", (string?)root.Attribute("width"));
        Assert.Equal("400", (string?)root.Attribute("height"));
    }
}
