using System.Globalization;

namespace ExitSim.Units;

/// <summary>
/// Parses numbers with units. Each method returns null and sets <c>error</c> (a message with a hint)
/// instead of throwing, so the scenario loader can attach file:line:col.
/// </summary>
public static class UnitParser
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Splits "2.5us" into 2.5 and "us"; null when there is no leading number.</summary>
    public static (double Value, string Unit)? SplitNumber(string text)
    {
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
        if (!double.TryParse(number, NumberStyles.Float, Inv, out double v) || !double.IsFinite(v)) return null;
        return (v, s[i..].Trim());
    }

    /// <summary>A time: 200ns, 2.5us, 1ms, 2s, 5min, 2h, 1500cyc. A bare 0 is allowed; other bare numbers need a unit.</summary>
    public static Quantity? Time(string text, out string? error)
    {
        error = null;
        var split = SplitNumber(text);
        if (split is null) { error = $"expected a time such as 200ns, 2.5us, 1ms or 1500cyc, got '{text}'"; return null; }
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
        var split = SplitNumber(text);
        if (split is null) { error = $"expected a rate such as 25k/s, 250/s or 250Hz, got '{text}'"; return null; }
        var (v, unit) = split.Value;
        string u = unit.Replace(" ", "");
        double scale = 1;
        if (u.StartsWith('k') || u.StartsWith('K')) { scale = 1e3; u = u[1..]; }
        else if (u.StartsWith('M')) { scale = 1e6; u = u[1..]; }
        else if (u.StartsWith('G')) { scale = 1e9; u = u[1..]; }
        if (u is "/s" or "Hz" or "hz" or "/sec") return v * scale;
        error = u.Length == 0
            ? $"'{text}' has no unit (write e.g. {text.Trim()}/s)"
            : $"unknown rate unit in '{text}' (use /s or Hz, with an optional k, M or G: 25k/s)";
        return null;
    }

    /// <summary>A size in bytes. Binary multiples as QEMU reads -m 16G: 4KiB = 4K = 4KB = 4096.</summary>
    public static long? Size(string text, out string? error)
    {
        error = null;
        var split = SplitNumber(text);
        if (split is null) { error = $"expected a size such as 4KiB, 2MiB or 16GiB, got '{text}'"; return null; }
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
        if (bytes != Math.Floor(bytes) || bytes > long.MaxValue) { error = $"'{text}' is not a whole number of bytes"; return null; }
        return (long)bytes;
    }

    /// <summary>A plain number, with an optional k/M/G multiplier (10k = 10000).</summary>
    public static double? Number(string text, out string? error)
    {
        error = null;
        var split = SplitNumber(text);
        if (split is null) { error = $"expected a number, got '{text}'"; return null; }
        var (v, unit) = split.Value;
        switch (unit)
        {
            case "": return v;
            case "k" or "K": return v * 1e3;
            case "M": return v * 1e6;
            case "G": return v * 1e9;
            case "%": return v / 100;
            default: error = $"expected a plain number, got '{text}'"; return null;
        }
    }
}
