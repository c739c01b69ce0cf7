using ExitSim.Randomness;
using ExitSim.Statistics;

namespace ExitSim.Simulation;

/// <summary>
/// The mutable state of one vCPU in one replication. Its guest work is tracked on its own guest
/// clock (guest ns executed so far), so a pre-empted vCPU keeps the work it had left.
/// </summary>
internal sealed class VcpuState
{
    public const int NoTask = 0, OpTask = 1, HandlerTask = 2;
    public const int NextFromChain = -1, NextIsTaskEnd = -2;

    public required int Index { get; init; }
    public required int Qemu { get; init; }
    /// <summary>Wall time at which the guest (re)starts; +∞ while the exit's end is not known yet.</summary>
    public double ResumeAt;
    public double GuestClockAtResume;
    /// <summary>Guest-clock time of the next occurrence of each guest-caused reason.</summary>
    public required double[] NextGuestExit { get; init; }
    /// <summary>One stream per guest-caused reason, so reasons do not shift each other's draws.</summary>
    public required RandomStream[] OccurrenceRng { get; init; }
    /// <summary>One stream per exit site.</summary>
    public required RandomStream[] CostRng { get; init; }
    public required RandomStream EmulationRng { get; init; }
    /// <summary>Version of the pending exit event; a pre-emption bumps it so the old event is ignored.</summary>
    public int Stamp;
    /// <summary>Index into GuestReasons of the scheduled exit, or <see cref="NextFromChain"/> / <see cref="NextIsTaskEnd"/>.</summary>
    public int ScheduledGuestReason;
    /// <summary>Exits that must follow right after re-entry (the timer re-arm after a tick, a device's register
    /// accesses, an EOI), each with an action to take once KVM or QEMU has handled it.</summary>
    public readonly IntRing ChainSite = new(), ChainAction = new(), ChainArg = new();
    // The exit in progress whose end is not known yet (waiting for QEMU, or halted).
    public int PendingSite, PendingAction, PendingArg;
    public double PendingStart, PendingSave, PendingHandle, PendingGuestClock;
    public readonly TimeAccount Time = new();

    // Workload layer: what the guest is running on its clock.
    public int Task;
    /// <summary>The operation running or suspended by an interrupt handler, or -1.</summary>
    public int Op = -1;
    public double OpRemaining;
    /// <summary>Guest-clock time at which the running task's segment ends (+∞ without one).</summary>
    public double TaskEnd = double.PositiveInfinity;
    public int HandlerSource = -1;
    /// <summary>Interrupt sources raised towards this vCPU and not yet handled.</summary>
    public readonly IntRing PendingIrq = new();
    /// <summary>Operations ready to run (the guest scheduler's run queue).</summary>
    public readonly IntRing Ready = new();
    /// <summary>An HLT is queued on the chain, or its exit is on the way to blocking.</summary>
    public bool HaltQueued, Halting, Halted;
    public double HaltStart;
    /// <summary>Halted time before this is accounted already (a quantum boundary may account part of a halt).</summary>
    public double HaltFrom;

    // Host scheduler: the quantum in which the vCPU thread holds a core, and until when it waits for one.
    public long RunQuantum = -1;
    public double StolenUntil;
    /// <summary>When the vCPU would have entered the guest had it not waited for a core (its steal starts there).</summary>
    public double DeferredFrom;
    /// <summary>Until when its userspace exit is with the QEMU thread: the vCPU thread sleeps meanwhile.</summary>
    public double OnQemuUntil;
    public int IpiSource = -1, LocalSource = -1;
    public RandomStream? InterruptRng;
}
