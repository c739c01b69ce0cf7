using ExitSim.Distributions;

namespace ExitSim.Simulation;

/// <summary>
/// An asynchronous cause that arrives in wall time on every vCPU (a timer tick, an interrupt
/// stream). Each arrival pre-empts the guest with an exit at the first of its <see cref="Sites"/>;
/// the rest follow right after re-entry (e.g. the handler's TSC_DEADLINE re-arm).
/// </summary>
public sealed class WallClockSource
{
    public required string Name { get; init; }
    /// <summary>Stable key for the random stream, so adding another source does not shift this one's draws.</summary>
    public required int StreamKey { get; init; }
    public required Sampler Interval { get; init; }
    /// <summary>Periodic sources start at a random phase; Poisson ones at time 0 plus one interval.</summary>
    public required bool Periodic { get; init; }
    /// <summary>Indices into <see cref="SimulationModel.Sites"/>: the exit it fires, then its follow-ups.</summary>
    public required int[] Sites { get; init; }
    /// <summary>An arrival that finds the vCPU out of the guest still exits, right after the next entry (the VMX
    /// preemption timer armed with an expired deadline); otherwise it is injected at entry without an exit (absorbed).</summary>
    public bool ExitsAtEntry { get; init; }
    /// <summary>
    /// The expiry is posted (KVM's pi_inject_timer: the hrtimer fires on a housekeeping core): no exit of its own. The
    /// guest's handler then re-arms, so <see cref="Sites"/> holds only that exit: taken at once by a vCPU in the guest, after
    /// the next entry by one in root mode (arch/x86/kvm/lapic.c kvm_use_posted_timer_interrupt needs IN_GUEST_MODE, else
    /// the timer is injected at entry).
    /// </summary>
    public bool Posted { get; init; }
    /// <summary>The guest's own tick, which a nohz_full guest stops while the vCPU runs one task.</summary>
    public bool GuestTick { get; init; }
    /// <summary>A host interrupt (the host's own tick): it exits only a vCPU in the guest; otherwise the host takes it and the guest never sees it.</summary>
    public bool HostOnly { get; init; }
}
