using System.Text;

namespace ExitSim.Evidence;

/// <summary>
/// The scoreboard as Markdown (what <c>reproduce</c> writes to results/evidence.md): the table, then per
/// case its source, the band's reason and what is missing. No wall-clock time, so it is byte-stable.
/// </summary>
public static class EvidenceMarkdownFormatter
{
    public static string Format(Scoreboard s)
    {
        var sb = new StringBuilder("# Published results vs ExitSim\n\n");
        sb.Append($"ExitSim {s.Version}: {EvidenceValues.Summary(s)}. Each case is a file in `validation/published/`; ")
          .Append("`exitsim evidence` runs them ([how cases are written and judged](../docs/evidence.md)). ")
          .Append("A case passes when the simulated figure's whole 95 % confidence interval lies in its band.\n\n");
        sb.Append("| id | mechanism | published | simulated ± 95 % CI | band | verdict |\n|---|---|---:|---:|---|---|\n");
        foreach (var r in s.Cases)
            sb.Append($"| {Cell(r.Id)} | {Cell(r.Mechanism)} | {EvidenceValues.Published(r)} | {EvidenceValues.Simulated(r)} | {EvidenceValues.Band(r)} | " +
                      $"{(r.Pass == false ? "**FAIL**" : EvidenceValues.Verdict(r))} |\n");
        sb.Append('\n');
        foreach (var r in s.Cases)
        {
            sb.Append($"## {r.Id}: {Cell(r.Title)}\n\n");
            sb.Append($"- Source: {Cell(r.Source.Title)}, {Cell(r.Source.Venue)}, {Cell(r.Source.Date)}{(r.Source.Table is { } t ? $" ({Cell(t)})" : "")}.\n");
            sb.Append($"- Published: {Cell(r.Published.Text)}.\n");
            if (r.Check is { } check) sb.Append($"- Compares: {Cell(check)}.\n");
            foreach (var a in r.Assumes) sb.Append($"- Assumes {Cell(a.Name)} = {Cell(a.Value)}: {Cell(a.Source)}.\n");
            if (r.Needs is { } needs) sb.Append($"- Not expressible yet: needs {Cell(needs)}.\n");
            if (r.Band is { } b) sb.Append($"- Band {EvidenceValues.Band(r)}: {Cell(b.Reason).TrimEnd('.')}.\n");
            if (r.Note is { } note) sb.Append($"- {Cell(note)}.\n");
            if (r.Simulated is not null) sb.Append($"- {r.Replications} replications.\n");
            sb.Append('\n');
        }
        return sb.ToString().TrimEnd('\n') + "\n";
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
