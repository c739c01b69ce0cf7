namespace ExitSim.Reports;

/// <summary>The kinds of <see cref="TimelineSegment"/>, spelled as the report's phase table spells them.</summary>
public static class SegmentKinds
{
    public const string Guest = "guest";
    public const string Save = "save";
    public const string Handle = "handle";
    public const string Wait = "wait";   // for the QEMU thread (userspace exits), or for the scheduler to wake a halted vCPU (HLT)
    public const string Emulate = "emulate";
    public const string Reenter = "reenter";
    /// <summary>Between an HLT exit's handling and the interrupt that wakes it: polling, then blocked.</summary>
    public const string Halted = "halted";

    /// <summary>In the order a vCPU goes through them (halted last).</summary>
    public static IReadOnlyList<string> All { get; } = [Guest, Save, Handle, Wait, Emulate, Reenter, Halted];
}
