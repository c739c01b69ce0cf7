using ExitSim.Optimisations;
using ExitSim.Scenarios;

namespace ExitSim.Cli;

/// <summary>Reads <c>--with a,b,c</c> and applies it, turning every refusal into a usage error.</summary>
internal static class OptimisationList
{
    public static string[] Parse(string text, string option)
    {
        if (text.Trim() is "none" or "") return [];
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var dup in names.GroupBy(n => n).Where(g => g.Count() > 1))
            throw new UsageException($"{option}: '{dup.Key}' is listed twice");
        return names;
    }

    public static Scenario Apply(Scenario s, string[] names, string option)
    {
        if (names.Length == 0) return s;
        Scenario after;
        try { after = OptimisationCatalog.Apply(s, names); }
        catch (OptimisationException e) { throw new UsageException($"{option}: {e.Message}"); }
        // What can be applied but is there already would measure nothing.
        foreach (var name in names)
            if (OptimisationCatalog.AlreadyOn(s, name) is { } on) throw new UsageException($"{option}: {on}");
        return after;
    }
}
