using System.Globalization;
using ScottPlot.TickGenerators;

namespace ExitSim.Plots;

/// <summary>
/// ScottPlot 5 has no log axis: data are plotted as log10 values and this puts ticks at powers of
/// ten (labelled with the real value) and minor ticks at 2…9 × each power.
/// </summary>
internal static class LogAxisTicks
{
    /// <summary>Ticks for log10 positions in [lo, hi] (both whole decades); 2 and 5 are labelled too when there are few decades.</summary>
    public static NumericManual Decades(int lo, int hi)
    {
        var ticks = new NumericManual();
        bool labelHalves = hi - lo <= 2;
        for (int d = lo; d <= hi; d++)
        {
            ticks.AddMajor(d, Label(Math.Pow(10, d)));
            if (d == hi) break;
            for (int k = 2; k <= 9; k++)
            {
                double pos = d + Math.Log10(k);
                if (labelHalves && (k == 2 || k == 5)) ticks.AddMajor(pos, Label(k * Math.Pow(10, d)));
                else ticks.AddMinor(pos);
            }
        }
        return ticks;
    }

    private static string Label(double v) => v.ToString(v < 1 ? "0.###" : "#,0", CultureInfo.InvariantCulture);
}
