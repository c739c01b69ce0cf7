using System.Globalization;
using System.Xml.Linq;
using ExitSim.Plots;
using ExitSim.Running;
using ExitSim.Sweeps;

namespace ExitSim.Tests.Plots;

/// <summary>
/// The charts a planner pastes: a change of +1175 % does not flatten the other metrics, a capacity
/// chart reads the SLO next to a knee 100× higher, counts get whole ticks, whiskers stay ≥ 0, legends
/// keep off the data, and exit time reads as a share of vCPU time.
/// </summary>
[Collection(PlotCollection.Name)]
public sealed class ChartReadabilityTests(SampleRun sample)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static SweepResult Sweep(string key, string[] xs, (string Name, double[] Means, double[] Cis)[] series, string metric)
    {
        var axes = new[] { new SweepAxis(key, new(xs)), new SweepAxis("optimisations", new(series.Select(s => s.Name))) };
        var points = xs.SelectMany((x, i) => series.Select((s, k) => new SweepPoint(i * series.Length + k, [x, s.Name], [new MetricValue(metric, s.Means[i], s.Cis[i])])))
            .ToArray();
        return new SweepResult { Scenario = "capacity", Seed = 1, Replications = 3, Vary = axes, TotalPoints = points.Length, Points = points };
    }

    [Fact]
    public void A_capacity_chart_spanning_decades_is_drawn_on_a_log_axis_with_the_slo_readable()
    {
        string[] counts = ["1", "2", "3", "4", "5", "6"];
        var sweep = Sweep("vm.count", counts,
        [
            ("none", [1.9e6, 2.0e6, 2.2e6, 4e6, 318e6, 577e6], [0.1e6, 0.1e6, 0.2e6, 1e6, 60e6, 12e6]),
            ("virtio", [1.7e6, 1.7e6, 1.7e6, 1.8e6, 1.8e6, 2.4e6], [0.1e6, 0.1e6, 0.1e6, 0.1e6, 0.1e6, 0.7e6]),
        ], "p99_op_latency_ns");
        var chart = new SweepChart(sweep, MetricTable.P99OpLatency, Slo.Parse("p99_op_latency<=5ms"));
        Assert.True(chart.IsLog);
        string svg = chart.ToSvg();
        var texts = ChartAssert.Texts(svg);
        ChartAssert.HasLabels(svg, "p99 operation latency, log scale (ms)", "vm.count", "SLO ≤ 5 ms", "optimisations=none", "optimisations=virtio");
        // Decades, so 5 ms sits between the ticks 1 and 10, well above the bottom of the axis.
        foreach (var t in new[] { "1", "10", "100", "1,000" }) Assert.Contains(t, texts);
        // A count axis has whole-number ticks only.
        Assert.DoesNotContain(texts, t => t.Contains('.') && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v < 10);

        // The legend is outside the data: below the x axis' label.
        double Y(string text) => XDocument.Parse(svg).Descendants(Svg + "text").Where(t => t.Value.Trim() == text).Select(TextY).First();
        Assert.True(Y("optimisations=none") > Y("vm.count"), "the legend should sit under the x axis, off the lines");
    }

    /// <summary>Where Skia put a text: transform="translate(x y)" plus the first of its y offsets ("1.66, ").</summary>
    private static double TextY(XElement text)
    {
        static double Num(string s) => double.Parse(s.Trim().TrimEnd(','), CultureInfo.InvariantCulture);
        var t = ((string?)text.Attribute("transform") ?? "").Replace("translate(", "").TrimEnd(')').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double dy = ((string?)text.Attribute("y"))?.Split(',', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? Num(first) : 0;
        return (t.Length == 2 ? Num(t[1]) : 0) + dy;
    }

    [Fact]
    public void A_narrow_range_stays_linear_and_whiskers_stop_at_zero()
    {
        // A CI wider than its mean would draw a whisker below zero; the axis must not go negative for it.
        var sweep = Sweep("vm.vcpus", ["1", "2", "4"], [("none", [0.5, 1, 2], [3, 0.2, 0.2])], "qemu_max_utilisation");
        var chart = new SweepChart(sweep, MetricTable.Get("qemu_max_utilisation"));
        Assert.False(chart.IsLog);
        var texts = ChartAssert.Texts(chart.ToSvg());
        Assert.DoesNotContain(texts, t => t.StartsWith('-') || t.StartsWith('−'));
        Assert.Contains("0", texts);
    }

    [Fact]
    public void A_whisker_stops_at_zero_or_at_the_bottom_of_a_log_axis()
    {
        // Mean 0.5 with a CI of ±3: the lower arm ends at 0 (0.5 below), the upper one goes the full 3.
        var linear = Whiskers.Of([1.0], [0.5], [3.0]);
        Assert.Equal(0.5, linear.YErrorNegative![0], 12);
        Assert.Equal(3.0, linear.YErrorPositive![0], 12);
        // Two decades up and down on a log axis whose bottom is 0.1: the lower arm stops at log10(0.1).
        var log = Whiskers.Of([1.0], [10.0], [990.0], 0.1, Math.Log10);
        Assert.Equal(1.0, log.Ys[0], 12);
        Assert.Equal(2.0, log.YErrorNegative![0], 12);
        Assert.Equal(2.0, log.YErrorPositive![0], 12);
        // A CI inside the range is symmetric on a linear axis.
        var inside = Whiskers.Of([1.0], [5.0], [2.0]);
        Assert.Equal(2.0, inside.YErrorNegative![0], 12);
        Assert.Equal(2.0, inside.YErrorPositive![0], 12);
    }

    [Fact]
    public void Comparison_panels_give_each_metric_its_own_axis()
    {
        // One metric grows twelvefold, one drops by 6 %: each is read on its own scale.
        var chart = new ComparisonChart(
        [
            ("halted", 1.68, 0, 20.36, 1.0, "%"),
            ("p50 op latency", 1.292e6, 0, 1.215e6, 23e3, "ns"),
            ("exits/s", 391e3, 0, 112e3, 3.5e3, "/s"),
        ], "database: virtio");
        string svg = chart.ToSvg();
        var texts = ChartAssert.Texts(svg);
        ChartAssert.HasLabels(svg, "database: virtio", "halted", "+18.7 pp ± 1", "p50 op latency", "−6 % ± 1.8", "exits/s", "before", "after");
        Assert.Equal(3 + 1, texts.Count(t => t == "before"));   // a pair of bars per panel, and the legend
        // The latency panel has ticks of its own in ms, up to its own 1.3 ms, not a shared percentage axis.
        Assert.Contains(texts, t => t.EndsWith("ms", StringComparison.Ordinal) && !t.StartsWith("1.2", StringComparison.Ordinal));
        Assert.Contains("1.292ms", texts);
        Assert.DoesNotContain(texts, t => t.Contains("relative to"));
        Assert.True(chart.Height >= 300);
    }

    [Fact]
    public void Exit_time_by_reason_reads_as_a_share_of_vcpu_time_by_default()
    {
        string svg = new ExitTimeByReasonChart(sample.Report).ToSvg();
        var texts = ChartAssert.Texts(svg);
        ChartAssert.HasLabels(svg, "share of the VM's vCPU time (4 vCPUs) spent in exits (%)");
        Assert.DoesNotContain(texts, t => t.Contains("µs/s"));
        // Every bar label is a share of at most 100 %.
        var shares = texts.Where(t => t.EndsWith(" %", StringComparison.Ordinal) && char.IsDigit(t[0])).Select(t => double.Parse(t[..^2], CultureInfo.InvariantCulture)).ToArray();
        Assert.NotEmpty(shares);
        Assert.All(shares, v => Assert.InRange(v, 0, 100));
    }
}
