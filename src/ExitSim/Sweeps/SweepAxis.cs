using System.Globalization;
using ExitSim.Units;

namespace ExitSim.Sweeps;

/// <summary>
/// One <c>--vary KEY=VALUES</c>: a scenario key (dotted path, e.g. <c>vm.vcpus</c>,
/// <c>exits.IO_INSTRUCTION.rate</c>) and the values it takes: a list <c>2,4,8</c>, an integer
/// range <c>1..16</c>, or an evenly spaced range with a point count <c>10k/s..80k/s:8</c>.
/// </summary>
public sealed record SweepAxis(string Key, EquatableArray<string> Values)
{
    public static SweepAxis Parse(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
            throw new FormatException($"--vary '{text}': write KEY=VALUES, e.g. vm.vcpus=2,4,8 or vm.count=1..16 or exits.IO_INSTRUCTION.rate=10k/s..80k/s:8");
        string key = text[..eq].Trim(), values = text[(eq + 1)..].Trim();
        if (key is "optimisations" or "optimizations")
            return new SweepAxis(OptimisationsKey, values.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).Select(v => CheckSet(v, text)).ToEquatableArray());
        return new SweepAxis(key, Expand(values, text).ToEquatableArray());
    }

    /// <summary>The key of an axis over optimisation sets: <c>--vary optimisations=none,virtio,virtio+hugepages-1g+apicv</c>.</summary>
    public const string OptimisationsKey = "optimisations";

    public bool IsOptimisations => Key == OptimisationsKey;

    /// <summary>The plug-in names of one value of an optimisation axis ('none' is the empty set).</summary>
    public static string[] SetOf(string value) =>
        value == "none" ? [] : value.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string CheckSet(string value, string whole)
    {
        foreach (var name in SetOf(value))
            if (Optimisations.OptimisationCatalog.Find(name) is null)
                throw new FormatException($"--vary '{whole}': unknown optimisation '{name}'" +
                    (Suggest.Closest(name, Optimisations.OptimisationCatalog.All.Select(o => o.Name)) is { } near ? $" (did you mean '{near}'?)" : "") +
                    $"; join a set with '+' (virtio+apicv), 'none' for none; known: {string.Join(", ", Optimisations.OptimisationCatalog.All.Select(o => o.Name))}");
        return value;
    }

    private static IEnumerable<string> Expand(string values, string whole)
    {
        int dots = values.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0) return values.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0);
        string from = values[..dots].Trim(), rest = values[(dots + 2)..].Trim();
        int colon = rest.LastIndexOf(':');
        string to = colon >= 0 ? rest[..colon].Trim() : rest;
        var a = UnitParser.SplitNumber(from);
        var b = UnitParser.SplitNumber(to);
        if (a is null || b is null || a.Value.Unit != b.Value.Unit)
            throw new FormatException($"--vary '{whole}': a range needs two numbers with the same unit, e.g. 1..16 or 10k/s..80k/s:8");
        var (lo, unit) = a.Value;
        double hi = b.Value.Value;
        if (hi < lo) throw new FormatException($"--vary '{whole}': the range goes down ({from} > {to})");
        var inv = CultureInfo.InvariantCulture;
        if (colon < 0)
        {
            if (lo != Math.Floor(lo) || hi != Math.Floor(hi))
                throw new FormatException($"--vary '{whole}': a range without a point count needs whole numbers (or write {from}..{to}:N)");
            if (hi - lo > 10_000) throw new FormatException($"--vary '{whole}': more than 10,000 points");
            return Enumerable.Range(0, (int)(hi - lo) + 1).Select(i => (lo + i).ToString(inv) + unit);
        }
        if (!int.TryParse(rest[(colon + 1)..], NumberStyles.None, inv, out int n) || n < 2 || n > 10_000)
            throw new FormatException($"--vary '{whole}': the point count after ':' must be a whole number from 2 to 10000");
        return Enumerable.Range(0, n).Select(i => Math.Round(lo + (hi - lo) * i / (n - 1), 6).ToString("R", inv) + unit);
    }
}
