using System.Globalization;
using ExitSim.Units;

namespace ExitSim.Plots;

/// <summary>Numbers with their units for chart labels, as the text report writes them.</summary>
internal static class ValueFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string WithUnit(double v, string unit) => unit switch
    {
        "/s" => UnitFormat.Rate(v),
        "ns" => UnitFormat.Time(v),
        "%" => v.ToString(Math.Abs(v) < 1 ? "0.###" : "0.##", Inv) + " %",
        "" => Number(v),
        _ => Number(v) + " " + unit,
    };

    /// <summary>Three or four significant digits, no exponent for everyday magnitudes.</summary>
    public static string Number(double v) => Math.Abs(v) switch
    {
        0 => "0",
        >= 1e6 or < 1e-3 => v.ToString("0.###e0", Inv),
        >= 100 => v.ToString("#,0", Inv),
        >= 1 => v.ToString("0.##", Inv),
        _ => v.ToString("0.####", Inv),
    };

    /// <summary>An axis tick in a metric's unit: 300k, 1.5us, 40 %.</summary>
    public static string Axis(double v, string unit) => unit switch
    {
        "/s" => Rate(v),
        "ns" => v == 0 ? "0" : UnitFormat.Time(v),
        "%" => v.ToString("0.##", Inv) + " %",
        _ => Math.Abs(v) >= 1e4 ? Rate(v) : v.ToString("0.##", Inv),
    };

    /// <summary>Axis ticks for rates: 90k rather than 90,000.</summary>
    public static string Rate(double perSecond) => Math.Abs(perSecond) switch
    {
        >= 1e6 => (perSecond / 1e6).ToString("0.##", Inv) + "M",
        >= 1e3 => (perSecond / 1e3).ToString("0.##", Inv) + "k",
        _ => perSecond.ToString("0.##", Inv),
    };
}
