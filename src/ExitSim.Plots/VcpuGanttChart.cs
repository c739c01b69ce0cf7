using System.Globalization;
using ExitSim.Reports;
using ScottPlot;
using SkiaSharp;

namespace ExitSim.Plots;

/// <summary>
/// What one vCPU did over a short stretch of simulated time. The top lane shows every segment
/// colour-coded, with the exit reason written on exits wide enough to hold it; one lane per kind
/// below repeats the segments of that kind so phases too short to see in the top lane (a save of
/// 150 ns) still show as at least a hairline.
/// </summary>
public sealed class VcpuGanttChart(VcpuTimeline timeline, string? scenario = null) : PlotChart
{
    private const double AllLaneHeight = 1.6, LaneHeight = 0.7;

    public override string Title =>
        $"vCPU {timeline.Vcpu} timeline, {Micro(timeline.ToNs - timeline.FromNs)} µs from {Milli(timeline.FromNs)} ms" +
        (scenario is null ? "" : $": {scenario}");

    protected override Plot Build()
    {
        var plt = ChartStyle.NewPlot(Title, $"time since {Milli(timeline.FromNs)} ms of simulated time (µs)", "");
        double from = timeline.FromNs, width = (timeline.ToNs - timeline.FromNs) / 1e3;
        double X(double ns) => (ns - from) / 1e3;

        // Lanes top to bottom: all segments, then one per kind that occurs (in the order a vCPU goes through them).
        var kinds = SegmentKinds.All.Where(k => timeline.Segments.Any(s => s.Kind == k))
            .Concat(timeline.Segments.Select(s => s.Kind).Where(k => !SegmentKinds.All.Contains(k)).Distinct().Order(StringComparer.Ordinal))
            .ToArray();
        double allLaneY = kinds.Length + AllLaneHeight / 2 + 0.2;
        double LaneY(string kind) => kinds.Length - 1 - Array.IndexOf(kinds, kind);

        foreach (var s in timeline.Segments)
        {
            var color = ChartStyle.KindColor(s.Kind);
            Box(plt, X(s.StartNs), X(s.EndNs), allLaneY, AllLaneHeight, color, outline: s.Kind != SegmentKinds.Guest);
            Box(plt, X(s.StartNs), X(s.EndNs), LaneY(s.Kind), LaneHeight, color, outline: true);
        }

        plt.Axes.Left.SetTicks([.. kinds.Select(LaneY), allLaneY], [.. kinds, $"vCPU {timeline.Vcpu}"]);
        plt.Axes.Left.MajorTickStyle.Length = 0;
        plt.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        double top = allLaneY + AllLaneHeight / 2 + 0.9;   // room for two rows of names above the lane
        plt.Axes.SetLimits(0, width, -0.6, top);

        foreach (var kind in kinds)
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = kind, FillColor = ChartStyle.KindColor(kind) });
        plt.ShowLegend(Edge.Bottom);
        plt.Legend.Orientation = Orientation.Horizontal;

        if (timeline.Segments.Count == 0) return plt;
        // Lay out once to learn how many pixels a microsecond gets, then label the exits that have room.
        plt.RenderInMemory(Width, Height);
        double pxPerUs = plt.LastRender.DataRect.Width / width;
        using var font = new SKFont(Fonts.GetTypeface(ChartFont.Name, false, false), ChartStyle.AnnotationSize);
        double[] rowRightPx = [double.NegativeInfinity, double.NegativeInfinity];
        foreach (var (start, end, reason) in Exits(timeline.Segments))
        {
            double textPx = font.MeasureText(reason), mid = (X(start) + X(end)) / 2;
            if ((end - start) / 1e3 * pxPerUs >= textPx + 8)
            {
                var inside = ChartStyle.Text(plt, reason, mid, allLaneY, Alignment.MiddleCenter);
                inside.LabelBackgroundColor = Colors.White.WithOpacity(0.85);
                inside.LabelPadding = 2;
                continue;
            }
            // Too narrow: name it above the lane, centred on the exit but kept inside the plot, in the
            // first of two rows where it overlaps no other name (or not at all).
            double leftPx = Math.Clamp(mid * pxPerUs - textPx / 2, 0, Math.Max(0, width * pxPerUs - textPx));
            int row = Array.FindIndex(rowRightPx, right => leftPx >= right + 6);
            if (row < 0) continue;
            var above = ChartStyle.Text(plt, reason, leftPx / pxPerUs, allLaneY + AllLaneHeight / 2, Alignment.LowerLeft);
            above.LabelOffsetY = -3 - row * (ChartStyle.AnnotationSize + 5);
            rowRightPx[row] = leftPx + textPx;
        }
        return plt;
    }

    private static void Box(Plot plt, double x1, double x2, double y, double height, Color color, bool outline)
    {
        var r = plt.Add.Rectangle(x1, x2, y - height / 2, y + height / 2);
        r.FillColor = color;
        // A same-colour outline keeps sub-pixel phases visible as a hairline.
        r.LineWidth = outline ? 1 : 0;
        r.LineColor = color;
    }

    /// <summary>Exits as spans: a save starts one, guest time or another reason ends it.</summary>
    private static IEnumerable<(double Start, double End, string Reason)> Exits(IReadOnlyList<TimelineSegment> segments)
    {
        (double Start, double End, string Reason)? current = null;
        foreach (var s in segments)
        {
            if (s.Reason is null)
            {
                if (current is { } c) yield return c;
                current = null;
            }
            else if (current is { } c && c.Reason == s.Reason && s.Kind != SegmentKinds.Save) current = (c.Start, s.EndNs, c.Reason);
            else
            {
                if (current is { } c2) yield return c2;
                current = (s.StartNs, s.EndNs, s.Reason);
            }
        }
        if (current is { } last) yield return last;
    }

    private static string Micro(double ns) => (ns / 1e3).ToString("0.###", CultureInfo.InvariantCulture);
    private static string Milli(double ns) => (ns / 1e6).ToString("0.###", CultureInfo.InvariantCulture);
}
