namespace ExitSim.Calibration.Fitting;

/// <summary>
/// Calibrates every reason of a measurement: per-exit durations (traces) by <see cref="DurationFitter"/>, summary rows
/// (perf) by <see cref="LognormalMomentFit"/>, plus rates. HLT's time is fitted too but flagged as idle time, not cost.
/// </summary>
public static class ReasonFitter
{
    /// <param name="assumedCv">cv used when a summary has a mean but no spread (say so in reports: the provenance marks it ASSUMED).</param>
    /// <param name="intervalSeconds">recording window when the caller knows it and the file does not (perf record's <c>sleep N</c>).</param>
    public static IReadOnlyList<ReasonFit> Fit(Measurement measurement, double assumedCv, double? intervalSeconds = null) =>
        measurement.Reasons.Select(r => Fit(r, measurement, assumedCv, intervalSeconds)).ToArray();

    public static ReasonFit Fit(ReasonMeasurement reason, Measurement measurement, double assumedCv, double? intervalSeconds = null)
    {
        var fit = new ReasonFit
        {
            Reason = reason.Name,
            Path = reason.Path,
            Rate = Rates.ForReason(reason, measurement, intervalSeconds),
            IsIdleTime = reason.IsIdleTime,
        };

        if (reason.IsIdleTime)
        {
            // Fitted all the same: without a workload, the scenario can only idle inside HLT's own time (docs/calibration.md).
            fit = fit with { Note = $"{reason.Name} time is time the vCPU spent halted (idle/blocked), not the cost of the exit: it models the idle time, not a cost" };
        }

        var where = $"{measurement.Format.Name()} {System.IO.Path.GetFileName(measurement.SourcePath)}:{reason.SourceLine} {reason.Name}: ";
        if (reason.Durations is { Length: > 0 } durations)
        {
            var fromTrace = DurationFitter.Fit(durations);
            var share = durations.Length < reason.Count ? $" ({durations.Length} of {reason.Count} exits have a marked end)" : "";
            return fit with { Distribution = fromTrace with { Provenance = where + fromTrace.Provenance + share } };
        }

        if (SummaryStatistics.From(reason) is { MeanNs: > 0 } summary)
        {
            var fromSummary = LognormalMomentFit.Fit(summary, assumedCv);
            return fit with { Distribution = fromSummary with { Provenance = where + fromSummary.Provenance } };
        }

        return fit with
        {
            Note = fit.Note ?? (reason.Partial is not null
                ? $"the trace does not mark where these {reason.Name} exits end: their time is built from what it shows (see the handle comment)"
                : $"{measurement.Format.Name()} gives counts only for {reason.Name}: no time distribution"),
        };
    }
}
