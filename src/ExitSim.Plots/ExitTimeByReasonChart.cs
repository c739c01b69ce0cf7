using System.Globalization;
using ExitSim.Reports;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// Horizontal stacked bars, one per exit reason (largest on top): how much of the VM's vCPU time goes
/// to each reason's exits (or, on request, µs of exit time per second), split into save / handle /
/// QEMU wait / emulate / reenter. Time per second is the mean phase time per exit × the reason's exit rate.
/// </summary>
public sealed class ExitTimeByReasonChart(RunReport report, ExitTimeScale scale = ExitTimeScale.PercentOfVcpuTime) : PlotChart
{
    private static readonly string[] Phases = [SegmentKinds.Save, SegmentKinds.Handle, SegmentKinds.Wait, SegmentKinds.Emulate, SegmentKinds.Reenter];

    public override string Title => $"Exit time by reason and phase: {report.Scenario}";

    protected override Plot Build()
    {
        string unit = scale == ExitTimeScale.MicrosecondsPerSecond ? "µs/s" : "%";
        string xLabel = scale == ExitTimeScale.MicrosecondsPerSecond
            ? "exit time per second of simulated time, per VM (µs/s)"
            : $"share of the VM's vCPU time ({report.VcpusPerVm} vCPU{(report.VcpusPerVm == 1 ? "" : "s")}) spent in exits (%)";
        var plt = ChartStyle.NewPlot(Title, xLabel, "exit reason");

        // µs of exit time per second per VM, per phase; then rescaled for the percent view.
        double toUnit = scale == ExitTimeScale.MicrosecondsPerSecond ? 1e-3 : 1e-9 * 100 / Math.Max(1, report.VcpusPerVm);
        var rows = report.Reasons
            .Where(r => r.Samples > 0)
            .Select(r => (r.Name, Values: new[] { r.MeanSaveNs, r.MeanHandleNs, r.MeanWaitNs, r.MeanEmulateNs, r.MeanReenterNs }
                .Select(ns => ns * r.RatePerSecond * toUnit).ToArray()))
            .OrderBy(r => r.Values.Sum()).ThenByDescending(r => r.Name, StringComparer.Ordinal)   // bottom to top: largest on top
            .ToArray();
        if (rows.Length == 0)
        {
            ChartStyle.NoData(plt, "no exits were measured");
            return plt;
        }

        var bars = new List<Bar>();
        for (int y = 0; y < rows.Length; y++)
        {
            double x = 0;
            for (int p = 0; p < Phases.Length; p++)
            {
                double v = rows[y].Values[p];
                bars.Add(new Bar
                {
                    Position = y, ValueBase = x, Value = x + v, Size = 0.7, Orientation = Orientation.Horizontal,
                    FillColor = ChartStyle.KindColor(Phases[p]), LineWidth = 0,
                });
                x += v;
            }
        }
        plt.Add.Bars(bars);

        double max = rows.Max(r => r.Values.Sum());
        for (int y = 0; y < rows.Length; y++)
        {
            double total = rows[y].Values.Sum();
            ChartStyle.Text(plt, " " + Format(total, unit), total, y, Alignment.MiddleLeft);
        }

        plt.Axes.Left.SetTicks(Enumerable.Range(0, rows.Length).Select(i => (double)i).ToArray(), rows.Select(r => r.Name).ToArray());
        plt.Axes.Left.MajorTickStyle.Length = 0;
        plt.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        // Room on the right for the total labels.
        plt.Axes.SetLimits(0, max * 1.18, -0.6, rows.Length - 0.4);

        // The phases that take any time (a kernel-only scenario has no wait or emulate).
        foreach (var phase in Phases.Where((_, p) => rows.Any(r => r.Values[p] > 0)))
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = phase, FillColor = ChartStyle.KindColor(phase) });
        plt.ShowLegend(Edge.Bottom);   // off the bars
        plt.Legend.Orientation = Orientation.Horizontal;
        return plt;
    }

    private static string Format(double v, string unit) => unit == "%"
        ? v.ToString(v < 1 ? "0.###" : "0.##", CultureInfo.InvariantCulture) + " %"
        : v.ToString(v < 10 ? "0.##" : "#,0", CultureInfo.InvariantCulture) + " µs/s";
}
