using System.Globalization;
using System.Text;
using ExitSim.Units;

namespace ExitSim.Probe.Validation;

/// <summary>
/// The validation report as a text table: per workload, the measured time per request, ExitSim's prediction from the
/// profile and from the costs measured alongside, their errors, and how far the host's exit costs moved.
/// </summary>
public static class ValidationTableFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(ValidationReport r)
    {
        var sb = new StringBuilder();
        sb.Append("Validation: real guests vs ExitSim from the host profile ").Append(r.ProfilePath).Append("\n\n");
        const string row = "{0,-15} {1,-56} {2,9} {3,18} {4,11} {5,7} {6,11} {7,7}  {8}\n";
        sb.Append(string.Format(Inv, row, "workload", "per request", "requests", "measured/request", "profile", "error", "alongside", "error", "exit costs: profile → alongside"));
        foreach (var o in r.Outcomes)
        {
            string exits = UnitFormat.Time(o.Workload.ComputeNs) + " compute, " + string.Join(", ", o.Workload.Exits.Select(e =>
                $"{e.PerRequest} {e.ProbePath}" + (e.EmulationNs > 0 ? $" +{UnitFormat.Time(e.EmulationNs)}" : "")));
            string drift = string.Join(", ", o.Drift.Select(d => $"{d.Path} {UnitFormat.Time(d.ProfileNs)} → {UnitFormat.Time(d.AlongsideNs)} ({Pct(d.DriftPct)})"));
            sb.Append(string.Format(Inv, row,
                o.Workload.Name, exits, $"{o.RequestsPerBatch}×{o.Batches}",
                $"{UnitFormat.Time(o.MeasuredNs)} ±{o.MeasuredCi95Pct:0.0}%",
                UnitFormat.Time(o.PredictedNs), Pct(o.ErrorPct),
                double.IsNaN(o.AlongsideNs) ? "-" : UnitFormat.Time(o.AlongsideNs), double.IsNaN(o.AlongsideNs) ? "-" : Pct(o.AlongsideErrorPct) + Mark(o.Verdict),
                drift));
        }
        sb.Append("\n  measured: mean over the undisturbed rounds ± its 95 % CI; profile: ExitSim costed from the profile; alongside: costed from the\n");
        sb.Append("  probe's loops run between the batches (the host's exit costs while the workload ran); * within ±")
          .Append(ValidationReport.TolerancePct.ToString("0", Inv)).Append(" % across the CI, ? the CI straddles it, ! beyond it across the CI\n");
        foreach (var o in r.Outcomes)
            foreach (var p in o.CountProblems) sb.Append("  warning: ").Append(o.Workload.Name).Append(": ").Append(p).Append('\n');
        foreach (var counter in r.Outcomes.SelectMany(o => o.Counters).Where(c => c.Verdict == CountVerdict.NotCounted).Select(c => c.Counter).Distinct())
            sb.Append("  note: ").Append(counter).Append(" is not counted by this kernel (it stayed 0 while the guests' exits happened); the other counts were checked\n");

        string tol = ValidationReport.TolerancePct.ToString("0", Inv);
        if (!r.Judged)
            sb.Append($"verdict: the host CPU is emulated, so exit costs are the emulator's and drift between runs; errors (worst {r.MaxAbsAlongsideErrorPct.ToString("0.0", Inv)} % from the costs alongside) are reported, not judged\n");
        else
        {
            var beyond = r.Outcomes.Where(o => o.Verdict == ErrorVerdict.Beyond).Select(o => o.Workload.Name).ToList();
            var undecided = r.Outcomes.Where(o => o.Verdict == ErrorVerdict.Undecided).Select(o => o.Workload.Name).ToList();
            sb.Append("verdict (model, costs measured alongside): ");
            if (beyond.Count > 0) sb.Append($"beyond ±{tol} % for {string.Join(", ", beyond)}: the model misses something on this host");
            else if (undecided.Count > 0) sb.Append($"no workload beyond ±{tol} %; undecided for {string.Join(", ", undecided)} (the measurement's CI straddles ±{tol} %: run again on a quieter host)");
            else sb.Append($"every workload within ±{tol} % (worst {r.MaxAbsAlongsideErrorPct.ToString("0.0", Inv)} %)");
            sb.Append('\n');
        }
        sb.Append($"from the profile: errors up to {r.MaxAbsErrorPct.ToString("0.0", Inv)} %");
        if (r.LargestDrift is { } d && Math.Abs(d.DriftPct) > ValidationReport.TolerancePct)
            sb.Append($"; this host's exit costs moved since the profile (up to {Pct(d.DriftPct)}, {d.Path}): a prediction is only as good as a recent profile");
        if (r.ProfileNoisy) sb.Append("; the profile's repetitions disagreed (noisy)");
        sb.Append('\n');
        return sb.ToString();
    }

    private static string Pct(double pct) => pct.ToString("+0.0;-0.0;0.0", Inv) + "%";

    private static string Mark(ErrorVerdict v) => v switch { ErrorVerdict.Within => "*", ErrorVerdict.Beyond => "!", _ => "?" };
}
