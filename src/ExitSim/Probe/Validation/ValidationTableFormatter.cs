using System.Globalization;
using System.Text;
using ExitSim.Units;

namespace ExitSim.Probe.Validation;

/// <summary>The validation report as a text table: per workload, measured vs predicted time per request and the error.</summary>
public static class ValidationTableFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(ValidationReport r)
    {
        var sb = new StringBuilder();
        sb.Append("Validation: real guests vs ExitSim from the host profile ").Append(r.ProfilePath).Append("\n\n");
        sb.Append(string.Format(Inv, "{0,-15} {1,-56} {2,10} {3,20} {4,20} {5,8}\n",
            "workload", "per request", "requests", "measured/request", "predicted/request", "error"));
        foreach (var o in r.Outcomes)
        {
            string exits = UnitFormat.Time(o.Workload.ComputeNs) + " compute, " + string.Join(", ", o.Workload.Exits.Select(e =>
                $"{e.PerRequest} {e.ProbePath}" + (e.EmulationNs > 0 ? $" +{UnitFormat.Time(e.EmulationNs)}" : "")));
            sb.Append(string.Format(Inv, "{0,-15} {1,-56} {2,10} {3,20} {4,20} {5,8}\n",
                o.Workload.Name, exits, $"{o.RequestsPerBatch}×{o.Batches}",
                $"{UnitFormat.Time(o.MeasuredNs)} ±{o.MeasuredSpreadPct:0.#}%{(o.Noisy ? " noisy" : "")}",
                $"{UnitFormat.Time(o.PredictedNs)} ±{UnitFormat.Time(o.PredictedCi95Ns)}",
                o.ErrorPct.ToString("+0.0;-0.0;0.0", Inv) + "%"));
        }
        sb.Append("\n  measured: median over batches, ± the spread of the batches (max − min) / median; predicted: ± 95 % CI over replications\n");
        foreach (var o in r.Outcomes)
            foreach (var p in o.CountProblems) sb.Append("  warning: ").Append(o.Workload.Name).Append(": ").Append(p).Append('\n');
        foreach (var counter in r.Outcomes.SelectMany(o => o.Counters).Where(c => c.Verdict == CountVerdict.NotCounted).Select(c => c.Counter).Distinct())
            sb.Append("  note: ").Append(counter).Append(" is not counted by this kernel (it stayed 0 while the guests' exits happened); the other counts were checked\n");
        string worst = r.MaxAbsErrorPct.ToString("0.0", Inv);
        if (r.Quiet)
            sb.Append(r.WithinTolerance
                ? $"verdict: quiet host; every workload within ±{ValidationReport.TolerancePct:0} % (worst {worst} %)\n"
                : $"verdict: quiet host; errors up to {worst} %, beyond ±{ValidationReport.TolerancePct:0} %: the model misses something on this host\n");
        else
        {
            string why = r.EmulatedHost ? "the host CPU is emulated, so exit costs drift between runs"
                : r.ProfileNoisy ? "the host was noisy: the profile's repetitions disagree"
                : "the host was noisy: a workload's batches disagree";
            sb.Append($"verdict: {why}; errors (worst {worst} %) are reported, not judged\n");
        }
        return sb.ToString();
    }
}
