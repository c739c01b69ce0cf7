using ExitSim.Reports;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// Exits per second per VM over simulated time (mean over replications), with the warm-up, which
/// the statistics discard, shaded, and the measured mean for reference.
/// </summary>
public sealed class ExitRateTimelineChart(RunReport report) : PlotChart
{
    public override string Title => $"Exit rate over simulated time: {report.Scenario}" +
        (report.Replications > 1 ? $" (mean of {report.Replications} replications)" : "");

    protected override Plot Build()
    {
        var points = report.Timeline;
        double end = points.Length == 0 ? report.WarmupSeconds + report.SimulatedSeconds : points[^1].TimeSeconds;
        // Milliseconds read better for short runs.
        (double scale, string unit) = end < 2 ? (1e3, "ms") : (1, "s");
        var plt = ChartStyle.NewPlot(Title, $"simulated time ({unit})", "exits per second per VM (exits/s)");
        if (points.Length == 0)
        {
            ChartStyle.NoData(plt, "no timeline in this report");
            return plt;
        }

        double warmupEnd = report.WarmupSeconds * scale, runEnd = (report.WarmupSeconds + report.SimulatedSeconds) * scale;
        if (warmupEnd > 0)
        {
            var span = plt.Add.HorizontalSpan(0, warmupEnd, Colors.Gray.WithOpacity(0.2));
            span.LineWidth = 0;
            span.LegendText = "warm-up (discarded)";
        }
        var line = plt.Add.ScatterLine(points.Select(p => p.TimeSeconds * scale).ToArray(), points.Select(p => p.ExitsPerSecond).ToArray());
        line.Color = ChartStyle.SeriesColor(0);
        line.LineWidth = 2;
        line.MarkerSize = 0;
        line.LegendText = "exits/s per VM";
        var mean = plt.Add.HorizontalLine(report.ExitsPerSecond, 1.5f, Colors.Black.WithOpacity(0.7), LinePattern.Dashed);
        mean.LegendText = $"measured mean {ValueFormat.WithUnit(report.ExitsPerSecond, "/s")}";

        double max = Math.Max(points.Max(p => p.ExitsPerSecond), report.ExitsPerSecond);
        plt.Axes.SetLimits(0, runEnd, 0, max <= 0 ? 1 : max * 1.25);
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = ValueFormat.Rate };
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }
}
