using System.Globalization;

namespace ExitSim.Calibration.Importers;

/// <summary>Invariant-culture number parsing for tool output.</summary>
internal static class Numbers
{
    public static long Long(string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static double Double(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>perf prints NaN as <c>nan</c>/<c>-nan</c> when a mean is 0; those become null.</summary>
    public static double? DoubleOrNull(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    /// <summary>A microsecond figure as printed (<c>13.63</c>) in ns; decimal keeps 13.63 µs at exactly 13630 ns.</summary>
    public static double MicrosecondsToNs(string text) =>
        (double)(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) * 1000m);
}
