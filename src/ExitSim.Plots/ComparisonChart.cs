using System.Globalization;
using ExitSim.Comparison;
using ExitSim.Running;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// Before/after bars for several metrics with 95 % CI whiskers. Each metric is normalised to its
/// before value (= 100 %) so metrics in different units share one axis; the bars are labelled with
/// the absolute values and the change. A metric whose before value is 0 is normalised to its after
/// value instead (there is no ratio to show).
/// </summary>
public sealed class ComparisonChart(
    IReadOnlyList<(string Metric, double Before, double BeforeCi, double After, double AfterCi, string Unit)> rows,
    string title = "Before and after",
    string beforeLabel = "before",
    string afterLabel = "after") : Chart
{
    private static readonly Color BeforeColor = Color.FromHex("#8C8C8C"), AfterColor = Color.FromHex("#1F77B4");

    public override string Title => title;

    /// <summary>The chart of a comparison: every metric under its short label, shares in %, the after bar's whisker the paired CI.</summary>
    public static ComparisonChart Of(ComparisonResult result) => new(result.Metrics.Select(r =>
    {
        var m = MetricTable.Get(r.Name);
        return (m.ShortLabel, r.Before * m.Scale, 0.0, r.After * m.Scale, (r.Ci95 ?? 0) * m.Scale, m.Unit);
    }).ToList(), $"{result.Scenario}: {result.Change}");

    protected override Plot Build()
    {
        var plt = ChartStyle.NewPlot(Title, "metric", $"value relative to {beforeLabel} (%, {beforeLabel} = 100 %)");
        if (rows.Count == 0)
        {
            ChartStyle.NoData(plt, "no metrics to compare");
            return plt;
        }

        var bars = new List<Bar>();
        var whiskers = new List<(double X, double Y, double Ci)>();
        double top = 100;
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            double reference = r.Before != 0 ? Math.Abs(r.Before) : Math.Abs(r.After);
            double Pct(double v) => reference == 0 ? 0 : 100 * v / reference;
            (double x, double v, double ci, Color c, string text)[] pair =
            [
                (i - 0.2, Pct(r.Before), Pct(r.BeforeCi), BeforeColor, Label(r.Before, r.BeforeCi, r.Unit)),
                (i + 0.2, Pct(r.After), Pct(r.AfterCi), AfterColor, Label(r.After, r.AfterCi, r.Unit) + "\n" + Change(r.Before, r.After, r.Unit)),
            ];
            foreach (var (x, v, ci, c, text) in pair)
            {
                bars.Add(new Bar { Position = x, Value = v, Size = 0.38, FillColor = c, LineWidth = 0 });
                if (ci > 0) whiskers.Add((x, v, Math.Abs(ci)));
                double labelY = Math.Max(v, 0) + Math.Abs(ci);
                top = Math.Max(top, labelY);
                ChartStyle.Text(plt, text, x, labelY, Alignment.LowerCenter, 12).LabelOffsetY = -4;
            }
        }
        plt.Add.Bars(bars);
        if (whiskers.Count > 0)
        {
            // Drawn apart from the bars so they are black whatever the bar colour.
            var e = plt.Add.ErrorBar(whiskers.Select(w => w.X).ToArray(), whiskers.Select(w => w.Y).ToArray(), whiskers.Select(w => w.Ci).ToArray());
            e.Color = Colors.Black;
            e.LineWidth = 2;
            e.CapSize = 14;
        }
        plt.Add.HorizontalLine(100, 1.5f, Colors.Black.WithOpacity(0.6), LinePattern.Dashed);

        plt.Axes.Bottom.SetTicks(Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray(),
            rows.Select(r => r.Unit.Length > 0 ? $"{r.Metric} ({r.Unit})" : r.Metric).ToArray());
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        // Headroom for the two-line labels above the tallest bar.
        plt.Axes.SetLimits(-0.6, rows.Count - 0.4, 0, top * 1.22);

        plt.Legend.ManualItems.Add(new LegendItem { LabelText = beforeLabel, FillColor = BeforeColor });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = afterLabel, FillColor = AfterColor });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "95 % CI", LineColor = Colors.Black, LineWidth = 2 });
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }

    private static string Label(double v, double ci, string unit) =>
        ci > 0 ? $"{ValueFormat.WithUnit(v, unit)}\n± {ValueFormat.WithUnit(ci, unit)}" : ValueFormat.WithUnit(v, unit);

    /// <summary>A share's change in percentage points (85.6 % → 25.3 % is −60.3 pp), anything else's in % of before.</summary>
    private static string Change(double before, double after, string unit) =>
        unit == "%" ? (after - before).ToString("+0.#;−0.#;0", CultureInfo.InvariantCulture) + " pp"
        : before == 0 ? ""
        : ((after - before) / Math.Abs(before) * 100).ToString("+0.#;−0.#;0", CultureInfo.InvariantCulture) + " %";
}
