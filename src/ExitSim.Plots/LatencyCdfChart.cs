using ExitSim.Reports;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// Cumulative distribution of exit latency per reason (log-scaled µs axis), from the report's
/// histograms, with optional extra series such as the workload's transaction and storage latency
/// (then the title and axes speak of latency in general, not of exits).
/// </summary>
public sealed class LatencyCdfChart(
    RunReport report,
    IReadOnlyList<(string Name, double[] UpperNs, double[] Fraction)>? extra = null) : PlotChart
{
    private bool HasExtra => extra?.Any(e => e.UpperNs.Length > 0) == true;

    /// <summary>"Exit, transaction and storage latency: database" with extra series; else the exits' own title.</summary>
    public override string Title
    {
        get
        {
            if (!HasExtra) return $"Exit latency distribution by reason: {report.Scenario}";
            var names = extra!.Where(e => e.UpperNs.Length > 0).Select(e => e.Name.EndsWith(" latency", StringComparison.Ordinal) ? e.Name[..^8] : e.Name).Prepend("Exit").ToArray();
            return $"{string.Join(", ", names[..^1])} and {names[^1]} latency: {report.Scenario}";
        }
    }

    protected override Plot Build()
    {
        var plt = HasExtra
            ? ChartStyle.NewPlot(Title, "latency, log scale (µs)", "fraction ≤ latency (cumulative)")
            : ChartStyle.NewPlot(Title, "exit latency, log scale (µs)", "fraction of exits ≤ latency");

        // Reasons in the report's order (most exits first), so colours follow the perf table.
        var order = report.Reasons.Select((r, i) => (r.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var series = report.LatencyCdfs
            .Where(c => c.UpperNs.Length > 0)
            .OrderBy(c => order.GetValueOrDefault(c.Reason, int.MaxValue))
            .Select(c => (Name: c.Reason, c.UpperNs, c.Fraction, Extra: false))
            .Concat((extra ?? []).Where(e => e.UpperNs.Length > 0).Select(e => (e.Name, e.UpperNs, e.Fraction, Extra: true)))
            .ToArray();
        if (series.Length == 0)
        {
            ChartStyle.NoData(plt, "no exits were measured");
            return plt;
        }

        double lo = double.MaxValue, hi = double.MinValue;
        int reasonIndex = 0, extraIndex = 0;
        foreach (var s in series)
        {
            if (s.UpperNs.Length != s.Fraction.Length)
                throw new ArgumentException($"series '{s.Name}': {s.UpperNs.Length} bounds but {s.Fraction.Length} fractions");
            var points = s.UpperNs.Zip(s.Fraction).Where(p => p.First > 0).ToArray();
            double[] xs = points.Select(p => Math.Log10(p.First / 1e3)).ToArray(), ys = points.Select(p => p.Second).ToArray();
            if (xs.Length == 0) continue;
            lo = Math.Min(lo, xs[0]);
            hi = Math.Max(hi, xs[^1]);
            var line = plt.Add.ScatterLine(xs, ys);
            line.LegendText = s.Name;
            line.MarkerSize = 0;
            if (s.Extra)
            {
                // Thick black, told apart by pattern: dashed, then dotted, then dash-dot.
                line.Color = Colors.Black;
                line.LineWidth = 3;
                line.LinePattern = (extraIndex++ % 3) switch { 0 => LinePattern.Dashed, 1 => LinePattern.Dotted, _ => LinePattern.DenselyDashed };
            }
            else
            {
                line.Color = ChartStyle.SeriesColor(reasonIndex);
                line.LinePattern = ChartStyle.SeriesPattern(reasonIndex);
                line.LineWidth = 2;
                reasonIndex++;
            }
        }
        if (lo > hi)
        {
            ChartStyle.NoData(plt, "no positive latencies to plot");
            return plt;
        }

        int dLo = (int)Math.Floor(lo), dHi = Math.Max((int)Math.Ceiling(hi), dLo + 1);
        plt.Axes.Bottom.TickGenerator = LogAxisTicks.Decades(dLo, dHi);
        plt.Grid.XAxisStyle.MinorLineStyle.Width = 1;
        plt.Grid.XAxisStyle.MinorLineStyle.Color = Colors.Black.WithOpacity(0.05);
        foreach (var (q, name) in new[] { (0.5, "p50"), (0.99, "p99") })
        {
            plt.Add.HorizontalLine(q, 1, Colors.Black.WithOpacity(0.5), LinePattern.Dotted);
            ChartStyle.Text(plt, name, dLo, q, Alignment.LowerLeft, 12).LabelOffsetX = 4;
        }
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i <= 10; i++) yTicks.AddMajor(i / 10.0, (i / 10.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        for (int i = 0; i < 10; i++) yTicks.AddMinor(i / 10.0 + 0.05);
        plt.Axes.Left.TickGenerator = yTicks;
        plt.Axes.SetLimits(dLo, dHi, 0, 1.02);
        plt.ShowLegend(Alignment.LowerRight);
        return plt;
    }
}
