using System.Globalization;
using ExitSim.Scenarios;

namespace ExitSim.Units;

/// <summary>
/// Parses numbers with units. Each method returns null and sets <c>error</c> (a message with a hint)
/// instead of throwing, so the scenario loader can attach file:line:col.
/// </summary>
public static class UnitParser
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Splits "2.5us" into 2.5 and "us"; null when there is no leading number.</summary>
    public static (double Value, string Unit)? SplitNumber(string text) => SplitNumber(text, out _);

    /// <summary>As <see cref="SplitNumber(string)"/>; <paramref name="overflow"/> tells a number too large for a double (1e400).</summary>
    private static (double Value, string Unit)? SplitNumber(string text, out bool overflow)
    {
        overflow = false;
        string s = text.Trim();
        int i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
        int digits = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.' || s[i] == '_' || s[i] == ','))
        {
            if (char.IsAsciiDigit(s[i])) digits++;
            i++;
        }
        if (digits == 0) return null;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E') && i + 1 < s.Length &&
            (char.IsAsciiDigit(s[i + 1]) || ((s[i + 1] == '-' || s[i + 1] == '+') && i + 2 < s.Length && char.IsAsciiDigit(s[i + 2]))))
        {
            i += 2;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        string number = s[..i].Replace("_", "").Replace(",", "");
        if (!double.TryParse(number, NumberStyles.Float, Inv, out double v)) return null;
        if (!double.IsFinite(v)) { overflow = true; return null; }
        return (v, s[i..].Trim());
    }

    /// <summary>A time: 200ns, 2.5us, 1ms, 2s, 5min, 2h, 1500cyc. A bare 0 is allowed; other bare numbers need a unit.</summary>
    public static Quantity? Time(string text, out string? error)
    {
        var q = TimeUnbounded(text, out error);
        if (q is { } t && !(Math.Abs(t.Value) <= (t.Unit == QuantityUnit.Cycles ? ScenarioLimits.MaxCycles : ScenarioLimits.MaxTimeNs)))
        {
            error = $"'{text}' is too long (a time is at most 24h, or 1e12cyc)";
            return null;
        }
        return q;
    }

    private static Quantity? TimeUnbounded(string text, out string? error)
    {
        error = null;
        var split = SplitNumber(text, out bool overflow);
        if (split is null)
        {
            error = overflow ? $"'{text}' is too long (a time is at most 24h, or 1e12cyc)" : $"expected a time such as 200ns, 2.5us, 1ms or 1500cyc, got '{text}' (a number with its unit)";
            return null;
        }
        var (v, unit) = split.Value;
        switch (unit)
        {
            case "ns": return Quantity.Ns(v);
            case "us" or "µs" or "μs": return Quantity.Ns(v * 1e3);
            case "ms": return Quantity.Ns(v * 1e6);
            case "s": return Quantity.Ns(v * 1e9);
            case "min": return Quantity.Ns(v * 60e9);
            case "h": return Quantity.Ns(v * 3600e9);
            case "cyc" or "cycles" or "cycle": return Quantity.Cycles(v);
            case "" when v == 0: return Quantity.Ns(0);
            case "":
                error = $"'{text}' has no unit (write e.g. {UnitFormat.Number(v)}ns, {UnitFormat.Number(v)}us or {UnitFormat.Number(v)}cyc)";
                return null;
            default:
                string hint = unit.ToLowerInvariant() switch
                {
                    "sec" or "secs" or "second" or "seconds" => "s",
                    "msec" or "millisecond" or "milliseconds" => "ms",
                    "usec" or "microsecond" or "microseconds" => "us",
                    "nsec" or "nanosecond" or "nanoseconds" => "ns",
                    "c" or "cy" or "clk" or "clocks" => "cyc",
                    _ => "ns, us, ms, s or cyc",
                };
                error = $"unknown time unit '{unit}' in '{text}' (use {hint})";
                return null;
        }
    }

    /// <summary>A rate per second: 25k/s, 25000/s, 1.2M/s, 250Hz, 2.5kHz.</summary>
    public static double? Rate(string text, out string? error)
    {
        error = null;
        const string TooHigh = "(a rate is at most 1G/s, one per nanosecond)";
        var split = SplitNumber(text, out bool overflow);
        if (split is null)
        {
            error = overflow ? $"'{text}' is too high {TooHigh}" : $"expected a rate such as 25k/s, 250/s or 250Hz, got '{text}' (a number with /s or Hz)";
            return null;
        }
        var (v, unit) = split.Value;
        string u = unit.Replace(" ", "");
        double scale = 1;
        if (u.StartsWith('k') || u.StartsWith('K')) { scale = 1e3; u = u[1..]; }
        else if (u.StartsWith('M')) { scale = 1e6; u = u[1..]; }
        else if (u.StartsWith('G')) { scale = 1e9; u = u[1..]; }
        if (u is "/s" or "Hz" or "hz" or "/sec")
        {
            double rate = v * scale;
            if (!(Math.Abs(rate) <= ScenarioLimits.MaxRatePerSecond)) { error = $"'{text}' is too high {TooHigh}"; return null; }
            if (rate != 0 && Math.Abs(rate) < ScenarioLimits.MinRatePerSecond)
            {
                error = $"'{text}' is less than one a day (write 0 for none)";
                return null;
            }
            return rate;
        }
        error = u.Length == 0
            ? $"'{text}' has no unit (write e.g. {text.Trim()}/s)"
            : $"unknown rate unit in '{text}' (use /s or Hz, with an optional k, M or G: 25k/s)";
        return null;
    }

    /// <summary>A size in bytes. Binary multiples as QEMU reads -m 16G: 4KiB = 4K = 4KB = 4096.</summary>
    public static long? Size(string text, out string? error)
    {
        error = null;
        var split = SplitNumber(text, out bool overflow);
        if (split is null)
        {
            error = overflow ? $"'{text}' is too large (sizes go up to 8EiB)" : $"expected a size such as 4KiB, 2MiB or 16GiB, got '{text}' (a number with its unit)";
            return null;
        }
        var (v, unit) = split.Value;
        double scale = unit switch
        {
            "B" or "" => 1,
            "K" or "KB" or "KiB" or "k" or "kB" or "kiB" => 1L << 10,
            "M" or "MB" or "MiB" => 1L << 20,
            "G" or "GB" or "GiB" => 1L << 30,
            "T" or "TB" or "TiB" => 1L << 40,
            _ => double.NaN,
        };
        if (double.IsNaN(scale)) { error = $"unknown size unit '{unit}' in '{text}' (use B, KiB, MiB, GiB or TiB)"; return null; }
        double bytes = v * scale;
        if (bytes > long.MaxValue) { error = $"'{text}' is too large (sizes go up to 8EiB)"; return null; }
        if (bytes != Math.Floor(bytes)) { error = $"'{text}' is not a whole number of bytes (e.g. 4KiB or 4096)"; return null; }
        return (long)bytes;
    }

    /// <summary>A plain number, with an optional k/M/G multiplier (10k = 10000).</summary>
    public static double? Number(string text, out string? error)
    {
        error = null;
        var split = SplitNumber(text, out bool overflow);
        if (split is null)
        {
            error = overflow ? $"'{text}' is too large (numbers go up to 1e308)" : $"expected a number, got '{text}' (e.g. 4, 2.5, 10k or 30%)";
            return null;
        }
        var (v, unit) = split.Value;
        double? n = unit switch
        {
            "" => v,
            "k" or "K" => v * 1e3,
            "M" => v * 1e6,
            "G" => v * 1e9,
            "%" => v / 100,
            _ => null,
        };
        if (n is null) error = $"expected a plain number, got '{text}' (e.g. 4, 2.5, 10k or 30%)";
        else if (!double.IsFinite(n.Value)) { error = $"'{text}' is too large (numbers go up to 1e308)"; n = null; }
        return n;
    }
}
