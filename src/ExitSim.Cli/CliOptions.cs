using System.CommandLine;
using System.Globalization;
using ExitSim.Units;

namespace ExitSim.Cli;

/// <summary>Parses option values with the same units and messages as scenarios, and declares the options every command shares.</summary>
public static class CliOptions
{
    public static ulong? Seed(string? text)
    {
        if (text is null) return null;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        throw new UsageException($"--seed: expected a whole number from 0 to {ulong.MaxValue}, got '{text}'");
    }

    public static double? Duration(string? text, string option)
    {
        if (text is null) return null;
        var q = UnitParser.Time(text, out var error);
        if (q is null) throw new UsageException($"{option}: {error}");
        if (q.Value.Unit == QuantityUnit.Cycles) throw new UsageException($"{option}: give simulated time in ns, us, ms or s, not cycles");
        if (q.Value.Value <= 0) throw new UsageException($"{option}: must be greater than zero, got '{text}'");
        return q.Value.Value;
    }

    public static int? Count(string? text, string option, int min)
    {
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min) return v;
        throw new UsageException($"{option}: expected a whole number of at least {min}, got '{text}'");
    }

    /// <summary><c>-o, --out FILE</c>: the one file a command writes (instead of standard output, unless it is required).</summary>
    public static Option<string?> OutFile(string description, bool required = false) =>
        new("--out", "-o") { Description = description, HelpName = "FILE", Required = required };

    /// <summary><c>-o, --out DIR</c>: the directory a command writes several files into.</summary>
    public static Option<string?> OutDirectory(string description, string? defaultValue = null)
    {
        var o = new Option<string?>("--out", "-o") { Description = description, HelpName = "DIR" };
        if (defaultValue is not null) o.DefaultValueFactory = _ => defaultValue;
        return o;
    }

    /// <summary><c>--seed N</c>: the random seed, overriding run.seed (read it with <see cref="Seed(string?)"/>).</summary>
    public static Option<string?> SeedOption() => new("--seed") { Description = "Random seed (overrides run.seed)", HelpName = "N" };

    /// <summary><c>--threads N</c>: worker threads; results never depend on it.</summary>
    public static Option<string?> ThreadsOption() =>
        new("--threads") { Description = "Worker threads (default: all cores); results do not depend on it", HelpName = "N" };

    public static int Threads(ParseResult pr, Option<string?> option) => Count(pr.GetValue(option), "--threads", 1) ?? Environment.ProcessorCount;
}
