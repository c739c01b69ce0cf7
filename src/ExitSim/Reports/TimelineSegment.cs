namespace ExitSim.Reports;

/// <summary>
/// One stretch of a vCPU's time: <see cref="Kind"/> is one of <see cref="SegmentKinds"/>;
/// <see cref="Reason"/> names the exit a phase belongs to (null for guest time).
/// </summary>
public readonly record struct TimelineSegment(double StartNs, double EndNs, string Kind, string? Reason)
{
    public double DurationNs => EndNs - StartNs;
}
