using System.Runtime.CompilerServices;
using ExitSim.Engine;

namespace ExitSim.Simulation;

/// <summary>
/// What an event means to the replication, and what its <see cref="Event.Target"/> indexes. Events that
/// carry a vCPU's <see cref="Vcpus.Vcpu.Stamp"/> are void once the vCPU has changed its plans.
/// </summary>
internal enum EventKind
{
    /// <summary>vCPU: the guest reaches its next guest-clock deadline (an exit, a follow-up exit, or its task's end); stamped.</summary>
    GuestExit,
    /// <summary>vCPU: its userspace exit reaches its QEMU thread.</summary>
    QemuArrival,
    /// <summary>Wall-clock source × vCPU: a timer tick or an interrupt arrives.</summary>
    WallClock,
    /// <summary>KVM or QEMU has handled a follow-up exit: take its <see cref="ExitAction"/> (target: action, stamp: argument).</summary>
    ExitHandled,
    /// <summary>vCPU: its HLT reaches KVM's block point; stamped.</summary>
    HaltReached,
    /// <summary>Operation: a closed workload's client sends its next request.</summary>
    ClientRequest,
    /// <summary>VM: the next request of an open workload arrives.</summary>
    OpenArrival,
    /// <summary>Device queue: its front end has processed an item (stamp: the item).</summary>
    FrontEndDone,
    /// <summary>Operation: the back end is done with its request or packet.</summary>
    BackEndDone,
    /// <summary>Host scheduler: a quantum boundary.</summary>
    Quantum,
    /// <summary>vCPU: halt polling is over and it blocks; stamped.</summary>
    PollEnd,
    /// <summary>Host thread (by scheduler position): a job ended; it gives up its core if it has nothing more.</summary>
    ThreadIdle,
    /// <summary>vCPU: QEMU is done with its exit, so its thread needs a core again.</summary>
    QemuDone,
    /// <summary>Host scheduler: a woken thread takes a vCPU's core.</summary>
    Preempt,
    /// <summary>Interrupt source: a device's interrupt-mitigation timer fires (e1000's mit_timer).</summary>
    MitigationTimer,
    /// <summary>vCPU: its guest poll (cpuidle-haltpoll) ran out its window; stamped.</summary>
    GuestPollEnd,
    /// <summary>A vmexit.flat test's wall-time step (target: step and vCPU; see Microbench/VmexitLoop).</summary>
    Microbenchmark,
}

internal static class EventQueueExtensions
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Schedule(this EventQueue queue, double time, EventKind kind, int target, int stamp = 0) =>
        queue.Schedule(time, (int)kind, target, stamp);
}
