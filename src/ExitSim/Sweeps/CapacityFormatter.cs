using System.Text;

namespace ExitSim.Sweeps;

/// <summary>The capacity answers of a sweep (<see cref="SloSearch"/>) in words: lines for the terminal, a list for Markdown.</summary>
public static class CapacityFormatter
{
    public static string Text(SweepResult sweep, Slo slo)
    {
        var w = new StringBuilder();
        foreach (var a in SloSearch.Find(sweep, slo))
            w.Append($"capacity: {slo}: largest {sweep.Vary[0].Key} meeting it with 95 % confidence" +
                     (a.Others.Length > 0 ? $" (at {Others(sweep, a)})" : "") +
                     $": {a.LargestMeeting ?? "none (the first value already misses it)"}\n");
        return w.ToString();
    }

    /// <summary>A "### Capacity" section: one item per combination of the other axes, the SLO as it was written.</summary>
    public static string Markdown(SweepResult sweep, Slo slo)
    {
        string key = sweep.Vary[0].Key, written = slo.Text ?? slo.ToString();
        var w = new StringBuilder("\n### Capacity\n\n");
        foreach (var a in SloSearch.Find(sweep, slo))
            w.Append($"- {Others(sweep, a)}: " +
                     (a.LargestMeeting is { } l ? $"largest {key} meeting `{written}` with 95 % confidence: **{l}**\n" : $"no {key} meets `{written}`\n"));
        return w.ToString();
    }

    private static string Others(SweepResult sweep, CapacityAnswer a) =>
        string.Join(", ", a.Others.Select((v, k) => $"{sweep.Vary[k + 1].Key}={v}"));
}
