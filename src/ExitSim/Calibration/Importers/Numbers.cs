using System.Globalization;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// Invariant-culture number parsing for tool output. The grammars match digits, not magnitudes, so every parse that can
/// meet a corrupted file is a Try: a number out of range is a problem of its line, never an exception.
/// </summary>
internal static class Numbers
{
    /// <summary>
    /// Largest count accepted, 2^53: KVM's counters are 64-bit, but 2^53 exits would take a 256-vCPU host a year at a
    /// million exits per second per vCPU, and every count up to it is exact in a double and sums without overflow.
    /// </summary>
    public const long MaxCount = 1L << 53;

    /// <summary>Largest time accepted (ns): a year. Longer per-exit or window times are corrupted input.</summary>
    public const double MaxTimeNs = 365.25 * 86400 * 1e9;

    /// <summary>Largest trace timestamp accepted (s): keeps secs × 10^9 + ns within 64 bits.</summary>
    private const long MaxTimestampSeconds = 9_000_000_000;

    /// <summary>A count, id or other non-negative integer no larger than <see cref="MaxCount"/>.</summary>
    public static bool TryCount(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= MaxCount;

    /// <summary>Sum of counts, saturating at <see cref="long.MaxValue"/>: over 1,024 rows of 2^53 must not overflow.</summary>
    public static long Sum(IEnumerable<long> counts)
    {
        long sum = 0;
        foreach (var c in counts)
        {
            sum = c > long.MaxValue - sum ? long.MaxValue : sum + c;
        }

        return sum;
    }

    /// <summary>A finite floating-point number.</summary>
    public static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>perf prints NaN as <c>nan</c>/<c>-nan</c> when a mean is 0; those become null.</summary>
    public static double? DoubleOrNull(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    /// <summary>A microsecond figure as printed (<c>13.63</c>) in ns; decimal keeps 13.63 µs at exactly 13630 ns.</summary>
    public static bool TryMicrosecondsToNs(string text, out double ns)
    {
        ns = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var us) || us > (decimal)(MaxTimeNs / 1000))
        {
            return false;
        }

        ns = (double)(us * 1000m);
        return true;
    }

    /// <summary><c>secs.frac</c> as integer ns (exact differences); false when the seconds do not fit in 64-bit ns.</summary>
    public static bool TryTimestampNs(string seconds, string fraction, out long ns)
    {
        ns = 0;
        var nanos = fraction.Length >= 9 ? fraction[..9] : fraction.PadRight(9, '0');
        if (!long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var secs) || secs > MaxTimestampSeconds)
        {
            return false;
        }

        ns = secs * 1_000_000_000L + long.Parse(nanos, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }
}
