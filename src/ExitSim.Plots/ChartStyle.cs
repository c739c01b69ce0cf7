using ExitSim.Reports;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>Fonts, sizes and colours shared by all charts, so they read as one set.</summary>
internal static class ChartStyle
{
    public const float TitleSize = 22, AxisLabelSize = 17, TickSize = 14, LegendSize = 14, AnnotationSize = 13;

    /// <summary>Phase colours, the same in every chart (exit time by reason, vCPU timeline).</summary>
    public static Color KindColor(string kind) => kind switch
    {
        SegmentKinds.Guest => Color.FromHex("#A8D5A2"),
        SegmentKinds.Save => Color.FromHex("#1F77B4"),
        SegmentKinds.Handle => Color.FromHex("#FF7F0E"),
        SegmentKinds.Wait => Color.FromHex("#D62728"),
        SegmentKinds.Emulate => Color.FromHex("#9467BD"),
        SegmentKinds.Reenter => Color.FromHex("#17BECF"),
        SegmentKinds.Halted => Color.FromHex("#7F7F7F"),
        _ => Color.FromHex("#BCBD22"),
    };

    /// <summary>Series colours (Tableau 10); series beyond ten also change line pattern.</summary>
    public static Color SeriesColor(int i) => new ScottPlot.Palettes.Category10().GetColor(i);

    public static LinePattern SeriesPattern(int i) => (i / 10 % 3) switch { 0 => LinePattern.Solid, 1 => LinePattern.Dashed, _ => LinePattern.Dotted };

    /// <summary>A plot with title, axis labels and the shipped font on every text element.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        string font = ChartFont.Name;
        var plt = new Plot();
        plt.Title(title, TitleSize);
        plt.Axes.Title.Label.FontName = font;
        plt.Axes.Title.Label.Bold = true;
        plt.XLabel(xLabel, AxisLabelSize);
        plt.YLabel(yLabel, AxisLabelSize);
        foreach (var axis in plt.Axes.GetAxes())
        {
            axis.Label.FontName = font;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontName = font;
            axis.TickLabelStyle.FontSize = TickSize;
        }
        // Room on the right so the last tick label of the bottom axis is not cut off.
        plt.Axes.Right.MinimumSize = 40;
        plt.Legend.FontName = font;
        plt.Legend.FontSize = LegendSize;
        return plt;
    }

    /// <summary>A panel of small multiples: a smaller (possibly two-line) title and ticks, no axis labels.</summary>
    public static Plot NewPanel(string title)
    {
        var plt = NewPlot(title, "", "");
        plt.Axes.Title.Label.FontSize = PanelTitleSize;
        foreach (var axis in plt.Axes.GetAxes()) axis.TickLabelStyle.FontSize = PanelTickSize;
        plt.Axes.Right.MinimumSize = 10;
        return plt;
    }

    public const float PanelTitleSize = 15, PanelTickSize = 12;

    /// <summary>A text label in data coordinates, in the shipped font.</summary>
    public static ScottPlot.Plottables.Text Text(Plot plt, string text, double x, double y, Alignment alignment, float size = AnnotationSize)
    {
        var t = plt.Add.Text(text, x, y);
        t.LabelFontName = ChartFont.Name;
        t.LabelFontSize = size;
        t.LabelAlignment = alignment;
        t.LabelFontColor = Colors.Black;
        return t;
    }

    /// <summary>Shown instead of data when there is nothing to plot, so the file still says why it is empty.</summary>
    public static void NoData(Plot plt, string why)
    {
        plt.Axes.SetLimits(0, 1, 0, 1);
        Text(plt, why, 0.5, 0.5, Alignment.MiddleCenter, 18);
    }
}
