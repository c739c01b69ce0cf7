using System.Globalization;
using ExitSim.Comparison;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// The seed article's before/after changes next to ExitSim's: one pair of bars per (workload, metric),
/// the seed's claim in grey, ExitSim's change with its 95 % CI, and the ±tolerance band as whiskers on the claim.
/// </summary>
public sealed class SeedTableChart(
    IReadOnlyList<(string Label, double SeedPct, double ExitSimPct, double ExitSimCiPct)> rows,
    double tolerancePoints) : PlotChart
{
    private static readonly Color SeedColor = Color.FromHex("#8C8C8C"), ExitSimColor = Color.FromHex("#1F77B4");

    public override string Title => "The seed article's results: claimed change vs ExitSim";

    /// <summary>The seed's table next to the comparisons of the shipped scenarios (keyed by scenario name).</summary>
    public static SeedTableChart Of(IReadOnlyDictionary<string, ComparisonResult> results) =>
        new(SeedArticleReport.Cells(results).Select(c => ($"{c.Row.Scenario}\n{c.Metric.Label}", c.SeedPct, c.Got.DeltaPct, c.Got.Ci95Pct ?? 0)).ToList(),
            SeedArticle.TablePoints);

    protected override Plot Build()
    {
        var plt = ChartStyle.NewPlot(Title, "workload and metric", "change after the optimisations (%)");
        if (rows.Count == 0)
        {
            ChartStyle.NoData(plt, "no comparisons");
            return plt;
        }
        var bars = new List<Bar>();
        double lo = 0, hi = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            bars.Add(new Bar { Position = i - 0.2, Value = r.SeedPct, Size = 0.38, FillColor = SeedColor, LineWidth = 0 });
            bars.Add(new Bar { Position = i + 0.2, Value = r.ExitSimPct, Size = 0.38, FillColor = ExitSimColor, LineWidth = 0 });
            foreach (var (x, v, whisker) in new[] { (i - 0.2, r.SeedPct, tolerancePoints), (i + 0.2, r.ExitSimPct, r.ExitSimCiPct) })
            {
                // Beyond the bar's whisker, so the two never overlap.
                double y = v >= 0 ? v + whisker : v - whisker;
                var t = ChartStyle.Text(plt, v.ToString("+0.0;−0.0;0", CultureInfo.InvariantCulture) + " %", x, y, v >= 0 ? Alignment.LowerCenter : Alignment.UpperCenter, 11);
                t.LabelOffsetY = v >= 0 ? -4 : 4;
            }
            lo = Math.Min(lo, Math.Min(r.SeedPct, r.ExitSimPct) - tolerancePoints);
            hi = Math.Max(hi, Math.Max(r.SeedPct, r.ExitSimPct) + tolerancePoints);
        }
        plt.Add.Bars(bars);
        var tol = plt.Add.ErrorBar(rows.Select((_, i) => i - 0.2).ToArray(), rows.Select(r => r.SeedPct).ToArray(), rows.Select(_ => tolerancePoints).ToArray());
        tol.Color = Colors.Black;
        tol.LineWidth = 2;
        tol.CapSize = 10;
        var ci = plt.Add.ErrorBar(rows.Select((_, i) => i + 0.2).ToArray(), rows.Select(r => r.ExitSimPct).ToArray(), rows.Select(r => r.ExitSimCiPct).ToArray());
        ci.Color = Colors.Black;
        ci.LineWidth = 1;
        ci.CapSize = 6;
        plt.Add.HorizontalLine(0, 1.5f, Colors.Black.WithOpacity(0.6));

        plt.Axes.Bottom.SetTicks(Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray(), rows.Select(r => r.Label).ToArray());
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        double pad = (hi - lo) * 0.12;
        plt.Axes.SetLimits(-0.6, rows.Count - 0.4, lo - pad, hi + pad);

        plt.Legend.ManualItems.Add(new LegendItem { LabelText = $"seed article (± {tolerancePoints:0} points)", FillColor = SeedColor });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "ExitSim (95 % CI)", FillColor = ExitSimColor });
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }
}
