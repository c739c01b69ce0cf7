using System.Text;

namespace ExitSim.Evidence;

/// <summary>The scoreboard as an aligned table for a terminal, then each case's note or missing mechanism.</summary>
public static class EvidenceTextFormatter
{
    public static string Format(Scoreboard s)
    {
        string[] head = ["id", "mechanism", "published", "simulated ± 95 % CI", "band", "verdict"];
        var rows = s.Cases.Select(r => new[]
        {
            r.Id, r.Mechanism, EvidenceValues.Published(r), EvidenceValues.Simulated(r), EvidenceValues.Band(r), EvidenceValues.Verdict(r),
        }).ToList();
        var widths = head.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder($"Published results vs ExitSim {s.Version}: {EvidenceValues.Summary(s)}\n\n");
        void Line(string[] cells) => sb.Append(string.Join("  ", cells.Select((c, i) => i is 2 or 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        Line(head);
        foreach (var r in rows) Line(r);
        sb.Append('\n');
        foreach (var r in s.Cases)
        {
            if (r.Needs is { } needs) sb.Append($"{r.Id}: not expressible yet, needs {needs}\n");
            else if (r.Note is { } note) sb.Append($"{r.Id}: {note}\n");
        }
        return sb.ToString();
    }
}
