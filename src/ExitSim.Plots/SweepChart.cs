using ExitSim.Running;
using ExitSim.Sweeps;
using ExitSim.Units;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// One sweep metric against the first swept key, one line per combination of the other keys, with
/// 95 % CI whiskers and the SLO target drawn when the metric has one: the capacity chart. A metric
/// spanning more than <see cref="LogRatio"/>× goes on a log axis (by default), so a 5 ms objective stays
/// readable next to 600 ms past the knee; whiskers stop at 0 (or the axis bottom), the x ticks are the
/// swept values (never vm.count 0.5), and the legend sits under the plot, off the data.
/// </summary>
public sealed class SweepChart(SweepResult sweep, Metric metric, Slo? slo = null, bool? logScale = null) : PlotChart
{
    /// <summary>Largest over smallest (positive) value above which the automatic choice is a log axis.</summary>
    public const double LogRatio = 30;

    public override string Title => $"{metric.Label} against {sweep.Vary[0].Key}: {sweep.Scenario}";

    /// <summary>One chart per metric the sweep's points have (the workload ones only with a workload).</summary>
    public static IReadOnlyList<SweepChart> All(SweepResult sweep, Slo? slo = null) =>
        MetricTable.All.Where(m => sweep.Points.Length > 0 && sweep.Points.All(p => p.Find(m.Name) is not null)).Select(m => new SweepChart(sweep, m, slo)).ToList();

    /// <summary>The file name (no extension) <c>--plot</c> and results/ use: <c>sweep-p99-op-latency-ns</c>.</summary>
    public string FileName => "sweep-" + metric.Name.Replace('_', '-');

    /// <summary>Whether the y axis is logarithmic: as asked, else when the means span more than <see cref="LogRatio"/>×.</summary>
    public bool IsLog
    {
        get
        {
            if (logScale is { } asked) return asked;
            var means = sweep.Points.Select(p => p.Metric(metric.Name).Mean).ToArray();
            return means.Length > 0 && means.All(m => m > 0) && means.Max() / means.Min() > LogRatio;
        }
    }

    protected override Plot Build()
    {
        string name = metric.Label;
        var (unit, scale) = AxisUnit();
        bool log = IsLog;
        // The x unit as the values are written (e.g. 5k/s → "k/s"), so the axis reads as the command line did.
        string xUnit = sweep.Points.Length > 0 && UnitParser.SplitNumber(sweep.Points[0].Values[0]) is { Unit: { Length: > 0 } u } ? u : "";
        string yLabel = (log ? $"{name}, log scale" : name) + (unit.Length > 0 ? $" ({unit})" : "");
        var plt = ChartStyle.NewPlot(Title, xUnit.Length > 0 ? $"{sweep.Vary[0].Key} ({xUnit})" : sweep.Vary[0].Key, yLabel);
        var groups = sweep.Points.GroupBy(p => string.Join(", ", p.Values.Skip(1).Select((v, k) => $"{sweep.Vary[k + 1].Key}={v}"))).ToArray();
        var series = groups.Select(g =>
        {
            var pts = g.OrderBy(p => p.Index).ToArray();
            double[] xs = pts.Select((p, k) => UnitParser.SplitNumber(p.Values[0])?.Value ?? k).ToArray();
            double[] ys = pts.Select(p => p.Metric(metric.Name).Mean * scale).ToArray();
            double[] ci = pts.Select(p => Math.Abs(p.Metric(metric.Name).Ci95 ?? 0) * scale).ToArray();
            return (Name: g.Key.Length > 0 ? g.Key : name, Xs: xs, Ys: ys, Ci: ci);
        }).ToArray();
        if (series.Length == 0)
        {
            ChartStyle.NoData(plt, "no points in this sweep");
            return plt;
        }

        // Every quantity a sweep reports is ≥ 0: a whisker ends at 0, and on a log axis at its bottom.
        double floor = log ? series.SelectMany(s => s.Ys).Where(y => y > 0).DefaultIfEmpty(1).Min() / 3 : 0;
        double Y(double v) => log ? Math.Log10(Math.Max(v, floor)) : v;
        double top = double.MinValue, bottom = double.MaxValue;
        for (int i = 0; i < series.Length; i++)
        {
            var s = series[i];
            var line = plt.Add.Scatter(s.Xs, s.Ys.Select(Y).ToArray());
            line.Color = ChartStyle.SeriesColor(i);
            line.LinePattern = ChartStyle.SeriesPattern(i);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = s.Name;
            var whiskers = Whiskers.Of(s.Xs, s.Ys, s.Ci, floor, Y);
            whiskers.Color = ChartStyle.SeriesColor(i);
            whiskers.CapSize = 6;
            plt.Add.Plottable(whiskers);
            for (int k = 0; k < s.Ys.Length; k++)
            {
                top = Math.Max(top, whiskers.Ys[k] + whiskers.YErrorPositive![k]);
                bottom = Math.Min(bottom, whiskers.Ys[k] - whiskers.YErrorNegative![k]);
            }
        }
        if (slo is not null && slo.Metric == metric.Name)
        {
            double target = slo.Target * scale;
            var line = plt.Add.HorizontalLine(Y(target), 2, Colors.Red, LinePattern.Dashed);
            string op = slo.Operator switch { "<=" => "≤", ">=" => "≥", var o => o };
            line.LegendText = $"SLO {op} {ValueFormat.Number(target)} {unit}".TrimEnd();
            top = Math.Max(top, Y(target));
            bottom = Math.Min(bottom, Y(target));
        }

        double xMin = series.SelectMany(s => s.Xs).Min(), xMax = series.SelectMany(s => s.Xs).Max();
        double xPad = Math.Max((xMax - xMin) * 0.04, 0.5);
        if (log)
        {
            int lo = (int)Math.Floor(bottom), hi = Math.Max((int)Math.Ceiling(top), lo + 1);
            plt.Axes.Left.TickGenerator = LogAxisTicks.Decades(lo, hi);
            plt.Grid.YAxisStyle.MinorLineStyle.Width = 1;
            plt.Grid.YAxisStyle.MinorLineStyle.Color = Colors.Black.WithOpacity(0.05);
            plt.Axes.SetLimits(xMin - xPad, xMax + xPad, lo, hi);
        }
        else
        {
            plt.Axes.SetLimits(xMin - xPad, xMax + xPad, 0, top <= 0 ? 1 : top * 1.1);
        }
        // A tick at each swept value when they are few (5, 10 … 45 k/s; 1 … 12 VMs); else automatic ones,
        // whole numbers only for a key that is a count.
        double[] swept = series.SelectMany(s => s.Xs).Distinct().Order().ToArray();
        if (swept.Length <= 16)
            plt.Axes.Bottom.SetTicks(swept, swept.Select(x => x.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        else if (swept.All(x => x == Math.Round(x)))
            plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plt.ShowLegend(Edge.Bottom);
        plt.Legend.Orientation = Orientation.Horizontal;
        return plt;
    }

    /// <summary>
    /// The y axis' unit and the factor from the stored value: times in µs or ms as their size asks, shares
    /// in %, rates per second without a unit (the label says it).
    /// </summary>
    private (string Unit, double Scale) AxisUnit()
    {
        double largest = sweep.Points.Select(p => Math.Abs(p.Metric(metric.Name).Mean)).DefaultIfEmpty(0).Max();
        return metric.Unit switch
        {
            "ns" => largest >= 1e6 ? ("ms", 1e-6) : largest >= 1e3 ? ("µs", 1e-3) : ("ns", 1),
            "ops/s" => ("operations/s", 1),
            "/s" => ("", 1),
            _ => (metric.Unit, metric.Scale),
        };
    }
}
