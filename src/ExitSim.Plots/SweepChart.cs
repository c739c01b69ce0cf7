using ExitSim.Sweeps;
using ExitSim.Units;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// One sweep metric against the first swept key, one line per combination of the other keys, with
/// 95 % CI whiskers and the SLO target drawn when the metric has one: the capacity chart.
/// </summary>
public sealed class SweepChart(SweepResult sweep, string metric, Slo? slo = null) : Chart
{
    public override string Title => $"{Label(metric).Name} against {sweep.Vary[0].Key}: {sweep.Scenario}";

    protected override Plot Build()
    {
        var (name, unit, scale) = Label(metric);
        // The x unit as the values are written (e.g. 5k/s → "k/s"), so the axis reads as the command line did.
        string xUnit = sweep.Points.Length > 0 && UnitParser.SplitNumber(sweep.Points[0].Values[0]) is { Unit: { Length: > 0 } u } ? u : "";
        var plt = ChartStyle.NewPlot(Title, xUnit.Length > 0 ? $"{sweep.Vary[0].Key} ({xUnit})" : sweep.Vary[0].Key, unit.Length > 0 ? $"{name} ({unit})" : name);
        var groups = sweep.Points.GroupBy(p => string.Join(", ", p.Values.Skip(1).Select((v, k) => $"{sweep.Vary[k + 1].Key}={v}"))).ToArray();
        int i = 0;
        foreach (var g in groups)
        {
            var pts = g.OrderBy(p => p.Index).ToArray();
            double[] xs = pts.Select((p, k) => UnitParser.SplitNumber(p.Values[0])?.Value ?? k).ToArray();
            double[] ys = pts.Select(p => p.Metric(metric).Mean * scale).ToArray();
            double[] ci = pts.Select(p => (p.Metric(metric).Ci95 ?? 0) * scale).ToArray();
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
        if (slo is not null && slo.Metric == metric)
        {
            var target = plt.Add.HorizontalLine(slo.Target * scale, 2, Colors.Red, LinePattern.Dashed);
            target.LegendText = $"SLO {slo.Operator} {ValueFormat.Number(slo.Target * scale)} {unit}".TrimEnd();
        }
        plt.Axes.Margins(left: 0.05, right: 0.05, bottom: 0.08, top: 0.15);
        plt.ShowLegend(Alignment.LowerRight);
        return plt;
    }

    /// <summary>How a metric is shown: name, unit, and the factor from its stored unit.</summary>
    private static (string Name, string Unit, double Scale) Label(string metric) => metric switch
    {
        "exits_per_second" => ("exits per second per VM", "exits/s", 1),
        "mean_exit_latency_ns" => ("mean exit latency", "µs", 1e-3),
        "p99_exit_latency_ns" => ("p99 exit latency", "µs", 1e-3),
        "guest_time_fraction" => ("guest time", "%", 100),
        "io_exit_share_pct" => ("I/O exit share", "%", 1),
        "qemu_max_utilisation" => ("QEMU thread utilisation (max)", "%", 100),
        "throughput_ops_per_second" => ("throughput", "operations/s", 1),
        "p99_op_latency_ns" => ("p99 operation latency", "ms", 1e-6),
        "p99_storage_latency_ns" => ("p99 storage latency", "ms", 1e-6),
        _ => (metric, "", 1),
    };
}
