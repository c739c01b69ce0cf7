using System.Runtime.CompilerServices;
using ExitSim.Randomness;
using ExitSim.Simulation.Host;
using ExitSim.Simulation.Idle;
using ExitSim.Statistics;

namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// One vCPU in one replication. Its guest work is tracked on its own guest clock (guest ns executed so far),
/// so a pre-empted vCPU keeps the work it had left: exits caused by guest execution and the end of the
/// running task are deadlines on that clock. Each mechanism keeps its per-vCPU state here in a part named
/// after it (<see cref="Exit"/>, <see cref="FollowUps"/>, <see cref="Idle"/>, <see cref="Core"/>); its rules
/// are in the mechanism.
/// </summary>
internal sealed class Vcpu
{
    /// <summary>Values of <see cref="Scheduled"/> besides a guest-clock stream's index.</summary>
    public const int NextIsFollowUp = -1, NextIsTaskEnd = -2;

    private readonly MeasurementWindow _window;

    public Vcpu(int index, HostThread qemu, MeasurementWindow window, RandomStream[] occurrenceRng, RandomStream[] costRng, RandomStream emulationRng)
    {
        Index = index;
        Qemu = qemu;
        _window = window;
        OccurrenceRng = occurrenceRng;
        NextOccurrence = new double[occurrenceRng.Length];
        CostRng = costRng;
        EmulationRng = emulationRng;
    }

    public int Index { get; }
    /// <summary>The QEMU thread its userspace exits go to.</summary>
    public HostThread Qemu { get; }

    /// <summary>Wall time at which the guest (re)starts; +∞ while the exit's end is not known yet.</summary>
    public double ResumeAt;
    public double GuestClockAtResume;
    /// <summary>Guest-clock time of the next occurrence of each of the model's guest-clock streams.</summary>
    public readonly double[] NextOccurrence;
    /// <summary>One stream per guest-clock stream, so streams do not shift each other's draws.</summary>
    public readonly RandomStream[] OccurrenceRng;
    /// <summary>One stream per exit site.</summary>
    public readonly RandomStream[] CostRng;
    public readonly RandomStream EmulationRng;
    /// <summary>Version of the pending guest-exit event; a change of plans bumps it so the old event is ignored.</summary>
    public int Stamp;
    /// <summary>The guest-clock stream whose exit is scheduled, or <see cref="NextIsFollowUp"/> / <see cref="NextIsTaskEnd"/>.</summary>
    public int Scheduled;
    /// <summary>Exits that must follow right after re-entry.</summary>
    public readonly FollowUpQueue FollowUps = new();
    /// <summary>The exit in progress whose end is not known yet (waiting for QEMU, or halted).</summary>
    public PendingExit Exit;
    public readonly TimeAccount Time = new();

    // What the guest runs (the workload layer; see GuestScheduler).
    public GuestTask Task;
    /// <summary>The operation running or suspended by an interrupt handler, or -1.</summary>
    public int Op = -1;
    public double OpRemaining;
    /// <summary>Guest-clock time at which the running task's segment ends (+∞ without one).</summary>
    public double TaskEnd = double.PositiveInfinity;
    /// <summary>The interrupt source whose handler runs, or -1.</summary>
    public int HandlerSource = -1;
    /// <summary>Interrupt sources raised towards this vCPU and not yet handled.</summary>
    public readonly IntRing PendingIrq = new();
    /// <summary>Operations ready to run (the guest scheduler's run queue).</summary>
    public readonly IntRing Ready = new();
    /// <summary>Interrupt delivery (masked or not), handler times and wake-ups.</summary>
    public RandomStream? InterruptRng;

    public IdleState Idle;
    /// <summary>Pause-loop exiting: the window and the spin-wait in progress.</summary>
    public PleState Ple;
    /// <summary>TLB shootdowns: the initiator's wait, a flush deferred to the next entry.</summary>
    public ShootdownState Shootdown;
    /// <summary>Its posted-interrupt descriptor's ON bit (APICv).</summary>
    public Interrupts.PostedInterruptState Pi;

    public CoreState Core = new();
    /// <summary>When the vCPU would have entered the guest had it not waited for a core (its steal starts there).</summary>
    public double DeferredFrom;
    /// <summary>Until when its userspace exit is with the QEMU thread: the vCPU thread sleeps meanwhile.</summary>
    public double OnQemuUntil;

    /// <summary>In the guest at <paramref name="t"/> (not in an exit, halted or waiting).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool InGuest(double t) => t >= ResumeAt;

    /// <summary>Out of the guest until further notice: its exit waits for QEMU, or it is halting or halted.</summary>
    public bool Suspended => double.IsPositiveInfinity(ResumeAt);

    /// <summary>
    /// The earliest deadline on the guest clock and whose it is: the next occurrence of a guest-clock stream (the
    /// first of equals), else the running task's end (<see cref="NextIsTaskEnd"/>); -1 and +∞ with neither.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (double At, int Which) NextDeadline()
    {
        var next = NextOccurrence;
        int best = -1;
        double at = double.PositiveInfinity;
        if (next.Length > 0)
        {
            // Which stream comes next is a coin toss for the branch predictor: picked with selects, not branches.
            best = 0;
            at = next[0];
            for (int k = 1; k < next.Length; k++)
            {
                long earlier = -Unsafe.BitCast<bool, byte>(next[k] < at);
                best += (int)((k - best) & earlier);
                at = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(at) ^ ((BitConverter.DoubleToInt64Bits(at) ^ BitConverter.DoubleToInt64Bits(next[k])) & earlier));
            }
        }
        if (TaskEnd < at) { best = NextIsTaskEnd; at = TaskEnd; }
        return (at, best);
    }

    /// <summary>
    /// KVM's preempted flag (steal time's <c>preempted</c>, kvm_vcpu_on_spin's candidates): the vCPU thread is scheduled out
    /// while runnable, not blocked in a halt.
    /// </summary>
    public bool Preempted(double t) => Core.StolenUntil > t && !Idle.Halted;

    /// <summary>Leaves the guest at t: accounts the guest time since it entered and returns its guest clock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double LeaveGuest(double t)
    {
        Time.Guest += _window.Clip(ResumeAt, t);
        Pi.Left(ResumeAt);
        return GuestClockAtResume + (t - ResumeAt);
    }
}

/// <summary>What the guest runs on a vCPU.</summary>
internal enum GuestTask { None, Operation, Handler }
