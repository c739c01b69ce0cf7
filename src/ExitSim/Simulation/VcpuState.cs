using ExitSim.Randomness;
using ExitSim.Statistics;

namespace ExitSim.Simulation;

/// <summary>
/// The mutable state of one vCPU in one replication. Its guest work is tracked on its own guest
/// clock (guest ns executed so far), so a pre-empted vCPU keeps the work it had left.
/// </summary>
internal sealed class VcpuState
{
    public required int Index { get; init; }
    public required int Qemu { get; init; }
    /// <summary>Wall time at which the guest (re)starts; +∞ while the exit's end is not known yet.</summary>
    public double ResumeAt;
    public double GuestClockAtResume;
    /// <summary>Guest-clock time of the next occurrence of each guest-caused reason.</summary>
    public required double[] NextGuestExit { get; init; }
    /// <summary>One stream per guest-caused reason, so reasons do not shift each other's draws.</summary>
    public required RandomStream[] OccurrenceRng { get; init; }
    public required RandomStream[] CostRng { get; init; }
    public required RandomStream EmulationRng { get; init; }
    /// <summary>Version of the pending exit event; a pre-emption bumps it so the old event is ignored.</summary>
    public int Stamp;
    /// <summary>Index into GuestReasons of the scheduled exit, or -1 when the next exit comes from the chain.</summary>
    public int ScheduledGuestReason;
    /// <summary>Exits that must follow right after re-entry (e.g. the timer re-arm after a tick).</summary>
    public readonly int[] Chain = new int[8];
    public int ChainHead, ChainCount;
    // The userspace exit in progress, kept between its start and its arrival at the QEMU thread.
    public int PendingReason;
    public double PendingStart, PendingSave, PendingHandle, PendingGuestClock;
    public readonly TimeAccount Time = new();
}
