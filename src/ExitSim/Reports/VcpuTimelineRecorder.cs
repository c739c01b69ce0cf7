using ExitSim.Simulation;

namespace ExitSim.Reports;

/// <summary>
/// An <see cref="IExitSink"/> that keeps the exits of one vCPU overlapping [from, to) and turns
/// them into a <see cref="VcpuTimeline"/>: the exit phases, and guest time in the gaps between
/// exits. Memory grows with the exits inside the interval only. Nothing is simulated after the end
/// of the run, so the interval is cut there; an exit still on its way to QEMU at that point is
/// reported as unfinished and shows its save and handle.
/// </summary>
public sealed class VcpuTimelineRecorder : IExitSink
{
    private readonly string[] _reasonNames;
    private readonly List<ExitRecord> _exits = [];

    public VcpuTimelineRecorder(SimulationModel model, int vcpu, double fromNs, double toNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vcpu);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(vcpu, model.VcpuCount);
        if (!(toNs > fromNs)) throw new ArgumentException($"empty interval [{fromNs}, {toNs}) ns", nameof(toNs));
        double runEnd = model.WarmupNs + model.DurationNs;
        if (!(fromNs < runEnd)) throw new ArgumentException($"interval starts at {fromNs} ns, after the run ends ({runEnd} ns)", nameof(fromNs));
        _reasonNames = model.Reasons.Select(r => r.Name).ToArray();
        Vcpu = vcpu;
        FromNs = fromNs;
        ToNs = Math.Min(toNs, runEnd);
    }

    public int Vcpu { get; }
    public double FromNs { get; }
    /// <summary>The requested end, or the end of the run if that comes first.</summary>
    public double ToNs { get; }

    public void OnExit(in ExitRecord exit)
    {
        if (exit.Vcpu != Vcpu || exit.Start >= ToNs || exit.End <= FromNs) return;
        _exits.Add(exit);
    }

    /// <summary>Its save and handle reach the end of the run (that is why it never reached QEMU): record them like any exit.</summary>
    public void OnUnfinishedExit(in ExitRecord exit) => OnExit(exit);

    /// <summary>The segments recorded so far, tiling [<see cref="FromNs"/>, <see cref="ToNs"/>) without gaps or overlaps.</summary>
    public VcpuTimeline Timeline()
    {
        // The sink sees exits in decision order; one vCPU's exits never overlap, so start order is time order.
        var exits = _exits.OrderBy(e => e.Start).ToList();
        var segments = new List<TimelineSegment>(exits.Count * 6 + 1);
        double cursor = FromNs;

        // Each segment starts where the previous one ended, so rounding in the phase sums can
        // neither open a gap nor make two segments overlap.
        void Add(double end, string kind, string? reason)
        {
            end = Math.Min(end, ToNs);
            if (end <= cursor) return;
            segments.Add(new TimelineSegment(cursor, end, kind, reason));
            cursor = end;
        }

        foreach (var e in exits)
        {
            string reason = _reasonNames[e.Reason];
            Add(e.Start, SegmentKinds.Guest, null);
            // Same order of additions as the replication uses for its phase boundaries.
            double t1 = e.Start + e.Save, t2 = t1 + e.Handle, th = t2 + e.Halted, t3 = th + e.Wait, t4 = t3 + e.Emulate, t5 = t4 + e.Reenter;
            Add(t1, SegmentKinds.Save, reason);
            Add(t2, SegmentKinds.Handle, reason);
            Add(th, SegmentKinds.Halted, reason);
            Add(t3, SegmentKinds.Wait, reason);
            Add(t4, SegmentKinds.Emulate, reason);
            Add(t5, SegmentKinds.Reenter, reason);
        }
        Add(ToNs, SegmentKinds.Guest, null);
        return new VcpuTimeline(Vcpu, FromNs, ToNs, segments);
    }
}
