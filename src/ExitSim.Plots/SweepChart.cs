using ExitSim.Running;
using ExitSim.Sweeps;
using ExitSim.Units;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// One sweep metric against the first swept key, one line per combination of the other keys, with
/// 95 % CI whiskers and the SLO target drawn when the metric has one: the capacity chart.
/// </summary>
public sealed class SweepChart(SweepResult sweep, Metric metric, Slo? slo = null) : Chart
{
    public override string Title => $"{metric.Label} against {sweep.Vary[0].Key}: {sweep.Scenario}";

    /// <summary>One chart per metric the sweep's points have (the workload ones only with a workload).</summary>
    public static IReadOnlyList<SweepChart> All(SweepResult sweep, Slo? slo = null) =>
        MetricTable.All.Where(m => sweep.Points.Length > 0 && sweep.Points.All(p => p.Find(m.Name) is not null)).Select(m => new SweepChart(sweep, m, slo)).ToList();

    /// <summary>The file name (no extension) <c>--plot</c> and results/ use: <c>sweep-p99-op-latency-ns</c>.</summary>
    public string FileName => "sweep-" + metric.Name.Replace('_', '-');

    protected override Plot Build()
    {
        string name = metric.Label;
        var (unit, scale) = AxisUnit();
        // The x unit as the values are written (e.g. 5k/s → "k/s"), so the axis reads as the command line did.
        string xUnit = sweep.Points.Length > 0 && UnitParser.SplitNumber(sweep.Points[0].Values[0]) is { Unit: { Length: > 0 } u } ? u : "";
        var plt = ChartStyle.NewPlot(Title, xUnit.Length > 0 ? $"{sweep.Vary[0].Key} ({xUnit})" : sweep.Vary[0].Key, unit.Length > 0 ? $"{name} ({unit})" : name);
        var groups = sweep.Points.GroupBy(p => string.Join(", ", p.Values.Skip(1).Select((v, k) => $"{sweep.Vary[k + 1].Key}={v}"))).ToArray();
        int i = 0;
        foreach (var g in groups)
        {
            var pts = g.OrderBy(p => p.Index).ToArray();
            double[] xs = pts.Select((p, k) => UnitParser.SplitNumber(p.Values[0])?.Value ?? k).ToArray();
            double[] ys = pts.Select(p => p.Metric(metric.Name).Mean * scale).ToArray();
            double[] ci = pts.Select(p => (p.Metric(metric.Name).Ci95 ?? 0) * scale).ToArray();
            var line = plt.Add.Scatter(xs, ys);
            line.Color = ChartStyle.SeriesColor(i);
            line.LinePattern = ChartStyle.SeriesPattern(i);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = g.Key.Length > 0 ? g.Key : name;
            var whiskers = plt.Add.ErrorBar(xs, ys, ci);
            whiskers.Color = ChartStyle.SeriesColor(i);
            i++;
        }
        if (slo is not null && slo.Metric == metric.Name)
        {
            var target = plt.Add.HorizontalLine(slo.Target * scale, 2, Colors.Red, LinePattern.Dashed);
            target.LegendText = $"SLO {slo.Operator} {ValueFormat.Number(slo.Target * scale)} {unit}".TrimEnd();
        }
        plt.Axes.Margins(left: 0.05, right: 0.05, bottom: 0.08, top: 0.15);
        plt.ShowLegend(Alignment.LowerRight);
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
