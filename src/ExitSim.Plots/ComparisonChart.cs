using System.Globalization;
using ExitSim.Comparison;
using ExitSim.Running;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// Before/after for several metrics as small multiples: a panel per metric, each on its own axis in its
/// own unit, so a metric that grows twelvefold does not flatten one that drops by 6 %. Each panel is
/// titled with the metric and its change (a share's in percentage points); the bars carry their
/// values, and the after bar's whisker is the 95 % CI of the change.
/// </summary>
public sealed class ComparisonChart : Chart
{
    private static readonly Color BeforeColor = Color.FromHex("#8C8C8C"), AfterColor = Color.FromHex("#1F77B4");

    private readonly IReadOnlyList<(string Metric, double Before, double BeforeCi, double After, double AfterCi, string Unit)> _rows;
    private readonly string _title, _beforeLabel, _afterLabel;

    public ComparisonChart(
        IReadOnlyList<(string Metric, double Before, double BeforeCi, double After, double AfterCi, string Unit)> rows,
        string title = "Before and after", string beforeLabel = "before", string afterLabel = "after")
        : base(1400, 120 + 290 * Math.Max(1, (rows.Count + Columns - 1) / Columns))
    {
        _rows = rows;
        _title = title;
        _beforeLabel = beforeLabel;
        _afterLabel = afterLabel;
    }

    /// <summary>Panels per row.</summary>
    private const int Columns = 5;

    public override string Title => _title;

    /// <summary>The chart of a comparison: every metric under its short label, shares in %, the after bar's whisker the paired CI.</summary>
    public static ComparisonChart Of(ComparisonResult result) => new(result.Metrics.Select(r =>
    {
        var m = MetricTable.Get(r.Name);
        return (m.ShortLabel, r.Before * m.Scale, 0.0, r.After * m.Scale, (r.Ci95 ?? 0) * m.Scale, m.Unit);
    }).ToList(), $"{result.Scenario}: {result.Change}");

    private protected override Figure Compose()
    {
        LegendItem[] legend =
        [
            new() { LabelText = _beforeLabel, FillColor = BeforeColor },
            new() { LabelText = _afterLabel, FillColor = AfterColor },
            new() { LabelText = "95 % CI of the change", LineColor = Colors.Black, LineWidth = 2 },
        ];
        if (_rows.Count == 0)
        {
            var empty = ChartStyle.NewPlot(Title, "", "");
            ChartStyle.NoData(empty, "no metrics to compare");
            return Figure.Single(empty);
        }
        return Figure.Panels(_rows.Select(Panel).ToList(), Math.Min(Columns, _rows.Count), Title, legend);
    }

    private Plot Panel((string Metric, double Before, double BeforeCi, double After, double AfterCi, string Unit) r)
    {
        // The ticks and bar labels carry rates, times and shares in their units; other units go in the title.
        string unit = r.Unit is "/s" or "ns" or "%" or "" ? "" : $" ({r.Unit})";
        var plt = ChartStyle.NewPanel($"{r.Metric}{unit}\n{Change(r.Before, r.After, r.AfterCi, r.Unit)}");
        (double X, double V, double Ci, Color C)[] bars = [(0, r.Before, r.BeforeCi, BeforeColor), (1, r.After, r.AfterCi, AfterColor)];
        plt.Add.Bars(bars.Select(b => new Bar { Position = b.X, Value = b.V, Size = 0.6, FillColor = b.C, LineWidth = 0 }).ToList());
        bool nonNegative = r.Before >= 0 && r.After >= 0;
        double top = 0, bottom = 0;
        foreach (var (x, v, ci, _) in bars)
        {
            double half = Math.Abs(ci);
            if (half > 0)
            {
                var e = Whiskers.Of([x], [v], [half], nonNegative ? 0 : double.NegativeInfinity);
                e.Color = Colors.Black;
                e.LineWidth = 2;
                e.CapSize = 12;
                plt.Add.Plottable(e);
            }
            double labelY = Math.Max(v, 0) + half;
            top = Math.Max(top, labelY);
            bottom = Math.Min(bottom, nonNegative ? 0 : v - half);
            ChartStyle.Text(plt, ValueFormat.WithUnit(v, r.Unit), x, labelY, Alignment.LowerCenter, 12).LabelOffsetY = -3;
        }
        if (top <= 0) top = 1;
        plt.Axes.SetLimits(-0.6, 1.6, bottom < 0 ? bottom * 1.2 : 0, top * 1.25);
        plt.Axes.Bottom.SetTicks([0, 1], [_beforeLabel, _afterLabel]);
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => ValueFormat.Axis(v, r.Unit), TargetTickCount = 5 };
        return plt;
    }

    /// <summary>
    /// The change with its 95 % CI: a share's in percentage points (85.6 % → 25.3 % is −60.3 pp), anything
    /// else's in % of before; "new" from 0, "no change" from 0 to 0.
    /// </summary>
    private static string Change(double before, double after, double ci, string unit)
    {
        static string Signed(double v) => v.ToString("+0.#;−0.#;0", CultureInfo.InvariantCulture);
        // Two significant digits or so: ± 6.5, ± 0.9, ± 0.04 (never "± 0").
        static string Plain(double v) => Math.Abs(v) switch
        {
            >= 10 => Math.Abs(v).ToString("0", CultureInfo.InvariantCulture),
            >= 1 => Math.Abs(v).ToString("0.#", CultureInfo.InvariantCulture),
            >= 0.01 => Math.Abs(v).ToString("0.##", CultureInfo.InvariantCulture),
            _ => "< 0.01",
        };
        if (before == 0 && after == 0) return "no change";
        if (unit == "%") return $"{Signed(after - before)} pp" + (ci > 0 ? $" ± {Plain(ci)}" : "");
        if (before == 0) return "from 0";
        double pct = (after - before) / Math.Abs(before) * 100, ciPct = ci / Math.Abs(before) * 100;
        return $"{Signed(pct)} %" + (ci > 0 ? $" ± {Plain(ciPct)}" : "");
    }
}
