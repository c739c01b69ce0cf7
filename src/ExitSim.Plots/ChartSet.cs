using ExitSim.Reports;

namespace ExitSim.Plots;

/// <summary>The charts of one run, under stable file names, for <c>--plot DIR</c> and the HTML report.</summary>
public static class ChartSet
{
    public const string ExitTimeByReason = "exit-time-by-reason", LatencyCdf = "latency-cdf",
        ExitRateTimeline = "exit-rate-timeline", VcpuTimeline = "vcpu-timeline";

    /// <summary>The run's charts in a fixed order; the vCPU timeline only when one is given.</summary>
    public static IReadOnlyList<NamedChart> RunCharts(RunReport report, VcpuTimeline? timeline = null)
    {
        var charts = new List<NamedChart>
        {
            new(ExitTimeByReason, new ExitTimeByReasonChart(report)),
            // With a workload, operation and storage latency go on the same log axis as the exits.
            new(LatencyCdf, new LatencyCdfChart(report, report.Workload is { } w
                ? new[] { w.OperationCdf, w.StorageCdf }.Where(c => c.UpperNs.Length > 0).Select(c => (c.Reason, c.UpperNs, c.Fraction)).ToList()
                : null)),
            new(ExitRateTimeline, new ExitRateTimelineChart(report)),
        };
        if (timeline is not null) charts.Add(new(VcpuTimeline, new VcpuGanttChart(timeline, report.Scenario)));
        return charts;
    }

    /// <summary>Writes every run chart as PNG and SVG into <paramref name="directory"/> (created if needed); returns the files, PNG then SVG per chart.</summary>
    public static IReadOnlyList<string> WriteRunCharts(RunReport report, string directory, VcpuTimeline? timeline = null)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach (var c in RunCharts(report, timeline))
        {
            var written = c.Chart.Write(Path.Combine(directory, c.FileName));
            files.Add(written.Png);
            files.Add(written.Svg);
        }
        return files;
    }

    /// <summary>The run's charts as (title, SVG) pairs, ready for <see cref="HtmlReport.Format"/>.</summary>
    public static IReadOnlyList<(string Title, string Svg)> RunChartSvgs(RunReport report, VcpuTimeline? timeline = null) =>
        RunCharts(report, timeline).Select(c => (c.Chart.Title, c.Chart.ToSvg())).ToList();
}
