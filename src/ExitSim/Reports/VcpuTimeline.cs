namespace ExitSim.Reports;

/// <summary>
/// What one vCPU did between <see cref="FromNs"/> and <see cref="ToNs"/> (simulated time, warm-up
/// included): segments in time order that tile the interval.
/// </summary>
public sealed record VcpuTimeline(int Vcpu, double FromNs, double ToNs, IReadOnlyList<TimelineSegment> Segments)
{
    /// <summary>Total time per kind, for checks against the replication's time accounting.</summary>
    public double Total(string kind) => Segments.Where(s => s.Kind == kind).Sum(s => s.DurationNs);
}
