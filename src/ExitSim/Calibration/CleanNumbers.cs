using System.Globalization;
using ExitSim.Units;

namespace ExitSim.Calibration;

/// <summary>
/// Calibrated numbers rounded to four significant digits in the unit the scenario writer prints them in, so the YAML
/// reads <c>3.0001us</c>, not the binary noise of <c>3000.1 / 1000</c> (<c>3.0000999999999998us</c>).
/// </summary>
internal static class CleanNumbers
{
    private const int Digits = 4;

    private static readonly (double Scale, string Unit)[] TimeUnits = [(1e9, "s"), (1e6, "ms"), (1e3, "us"), (1, "ns")];
    private static readonly (double Scale, string Unit)[] RateUnits = [(1e9, "G/s"), (1e6, "M/s"), (1e3, "k/s"), (1, "/s")];

    /// <summary>A plain number (cv, shape, weight) to four significant digits.</summary>
    public static double Number(double v)
    {
        if (v == 0 || !double.IsFinite(v))
        {
            return v;
        }

        var decimals = Digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(v)));
        return decimals >= 0 ? Math.Round(v, Math.Min(decimals, 15)) : Math.Round(v / Math.Pow(10, -decimals)) * Math.Pow(10, -decimals);
    }

    /// <summary>A time in ns that <see cref="UnitFormat.TimeExact"/> prints with at most four significant digits.</summary>
    public static double TimeNs(double ns) => Clean(ns, TimeUnits, UnitFormat.TimeExact);

    /// <summary>A rate that <see cref="UnitFormat.RateExact"/> prints with at most four significant digits.</summary>
    public static double Rate(double perSecond) => Clean(perSecond, RateUnits, UnitFormat.RateExact);

    private static double Clean(double v, (double Scale, string Unit)[] units, Func<double, string> format)
    {
        if (v == 0 || !double.IsFinite(v))
        {
            return v;
        }

        var (scale, unit) = units.First(u => Math.Abs(v) >= u.Scale || u.Scale == 1);
        var inUnit = Number(v / scale);
        var wanted = inUnit.ToString("R", CultureInfo.InvariantCulture) + unit;
        var candidate = inUnit * scale;
        // Scaling back can land one step off the double that prints as wanted; the neighbours cover that.
        foreach (var c in new[] { candidate, Math.BitIncrement(candidate), Math.BitDecrement(candidate) })
        {
            if (format(c) == wanted)
            {
                return c;
            }
        }

        return candidate;
    }
}
