using System.Globalization;

namespace ExitSim.Units;

/// <summary>Writes numbers with the units users type: 2.5us, 1500cyc, 25k/s, 16GiB.</summary>
public static class UnitFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Number(double v) => v.ToString("R", Inv);

    /// <summary>Shortest unit that reads back to exactly the same double (for lossless YAML).</summary>
    public static string TimeExact(double ns)
    {
        foreach (var (scale, unit) in new[] { (1e9, "s"), (1e6, "ms"), (1e3, "us") })
        {
            if (Math.Abs(ns) < scale) continue;
            string text = (ns / scale).ToString("R", Inv);
            if (double.Parse(text, Inv) * scale == ns) return text + unit;
        }
        return Number(ns) + "ns";
    }

    /// <summary>A time for people: three significant digits in a fitting unit.</summary>
    public static string Time(double ns)
    {
        double a = Math.Abs(ns);
        if (double.IsNaN(ns)) return "-";
        if (a >= 1e9) return (ns / 1e9).ToString("0.###", Inv) + "s";
        if (a >= 1e6) return (ns / 1e6).ToString("0.###", Inv) + "ms";
        if (a >= 1e3) return (ns / 1e3).ToString("0.###", Inv) + "us";
        return ns.ToString("0.#", Inv) + "ns";
    }

    public static string RateExact(double perSecond)
    {
        foreach (var (scale, unit) in new[] { (1e9, "G"), (1e6, "M"), (1e3, "k") })
        {
            if (Math.Abs(perSecond) < scale) continue;
            string text = (perSecond / scale).ToString("R", Inv);
            if (double.Parse(text, Inv) * scale == perSecond) return text + unit + "/s";
        }
        return Number(perSecond) + "/s";
    }

    public static string Rate(double perSecond)
    {
        double a = Math.Abs(perSecond);
        if (a >= 1e6) return (perSecond / 1e6).ToString("0.##", Inv) + "M/s";
        if (a >= 1e3) return (perSecond / 1e3).ToString("0.##", Inv) + "k/s";
        return perSecond.ToString("0.##", Inv) + "/s";
    }

    public static string Bytes(long bytes)
    {
        foreach (var (scale, unit) in new[] { (1L << 40, "TiB"), (1L << 30, "GiB"), (1L << 20, "MiB"), (1L << 10, "KiB") })
            if (bytes >= scale && bytes % scale == 0) return (bytes / scale).ToString(Inv) + unit;
        return bytes.ToString(Inv) + "B";
    }
}
