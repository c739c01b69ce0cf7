namespace ExitSim.Calibration;

/// <summary>
/// A named event counter that is not a per-reason exit count: kvm_stat rows such as <c>kvm_entry</c>,
/// <c>kvm_msr</c>, <c>halt_successful_poll</c>, or the number of non-exit trace events in an ftrace file.
/// </summary>
public sealed record CounterMeasurement
{
    public required string Name { get; init; }

    public required long Count { get; init; }

    /// <summary>Events per second when the source shows a rate (kvm_stat <c>CurAvg/s</c>, the <c>-1</c> delta).</summary>
    public double? RatePerSecond { get; init; }

    /// <summary>1-based line of the row (the first row for summed log/CSV rows).</summary>
    public required int SourceLine { get; init; }
}
