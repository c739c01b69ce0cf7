namespace ExitSim.Calibration.Fitting;

/// <summary>Exits per second of a reason, or why it cannot be given.</summary>
public sealed record RateEstimate
{
    public required long Count { get; init; }

    /// <summary>Window the count covers; null when the source does not state it.</summary>
    public double? IntervalSeconds { get; init; }

    /// <summary>Count / interval, or the rate the tool printed itself; null when unknown.</summary>
    public double? PerSecond { get; init; }

    /// <summary>Where the rate came from, or what is missing to compute it.</summary>
    public required string Note { get; init; }
}
