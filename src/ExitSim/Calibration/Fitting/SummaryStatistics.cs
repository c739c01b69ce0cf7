namespace ExitSim.Calibration.Fitting;

/// <summary>What a summary table (perf kvm stat) says about one reason's per-exit time, in ns.</summary>
public sealed record SummaryStatistics
{
    public required long Count { get; init; }

    public required double MeanNs { get; init; }

    public double? MinNs { get; init; }

    public double? MaxNs { get; init; }

    /// <summary>perf's <c>( +- x% )</c>, the relative standard error of the mean.</summary>
    public double? RelStdErrPct { get; init; }

    /// <summary>The summary of a row that has a mean; null for count-only rows.</summary>
    public static SummaryStatistics? From(ReasonMeasurement reason) => reason.MeanNs is { } mean
        ? new SummaryStatistics { Count = reason.Count, MeanNs = mean, MinNs = reason.MinNs, MaxNs = reason.MaxNs, RelStdErrPct = reason.RelStdErrPct }
        : null;
}
