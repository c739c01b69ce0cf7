using ExitSim.Distributions;

namespace ExitSim.Simulation;

/// <summary>
/// Exits that guest execution causes at one exit site: a renewal process on each vCPU's guest clock
/// (<c>rate:</c> is Poisson, <c>interval:</c> any distribution). A reason may have several, each bound to
/// its own site (e.g. IO_INSTRUCTION to an ioeventfd in the kernel at one rate and to QEMU at another).
/// </summary>
public sealed class GuestClockStream
{
    /// <summary>Index into <see cref="SimulationModel.Sites"/> of the exit it causes.</summary>
    public required int Site { get; init; }
    /// <summary>Key of its occurrence stream per vCPU: the reason's code for a reason's own stream, so adding streams does not shift it.</summary>
    public required int StreamKey { get; init; }
    /// <summary>Guest time between occurrences.</summary>
    public required Sampler Interval;
}
