namespace ExitSim.Calibration.Fitting;

/// <summary>
/// Calibrates every reason of a measurement: per-exit durations (traces) by <see cref="DurationFitter"/>, summary rows
/// (perf) by <see cref="LognormalMomentFit"/>, never HLT's time (idle, not cost), plus rates.
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
            return fit with { Note = $"{reason.Name} time is time the vCPU spent halted (idle/blocked), not the cost of the exit: not fitted" };
        }

        var where = $"{measurement.Format.Name()} {System.IO.Path.GetFileName(measurement.SourcePath)}:{reason.SourceLine} {reason.Name}: ";
        if (reason.Durations is { Length: > 0 } durations)
        {
            var fromTrace = DurationFitter.Fit(durations);
            return fit with { Distribution = fromTrace with { Provenance = where + fromTrace.Provenance } };
        }

        if (SummaryStatistics.From(reason) is { MeanNs: > 0 } summary)
        {
            var fromSummary = LognormalMomentFit.Fit(summary, assumedCv);
            return fit with { Distribution = fromSummary with { Provenance = where + fromSummary.Provenance } };
        }

        return fit with { Note = $"{measurement.Format.Name()} gives counts only for {reason.Name}: no time distribution" };
    }
}
