namespace ExitSim.Simulation.Idle;

/// <summary>A vCPU's part of the idle path (<see cref="IdlePath"/>).</summary>
internal struct IdleState
{
    /// <summary>An HLT is queued among its follow-up exits.</summary>
    public bool HltQueued;
    /// <summary>Its HLT exit is on the way to KVM's block point.</summary>
    public bool Halting;
    /// <summary>Halted: polling, then blocked, until an interrupt wakes it.</summary>
    public bool Halted;
    /// <summary>The halt is kvm_wait's (a PV spinlock waiter's HLT), not the idle loop's: no tick to stop or restart, no guest work check.</summary>
    public bool LockWait;
    /// <summary>KVM's pv_unhalted: a KVM_HC_KICK_CPU came while it was on its way to blocking, so it does not block.</summary>
    public bool PvUnhalted;
    public double HaltStart;
    /// <summary>Its adaptive halt-polling window (KVM's per-vCPU halt_poll_ns): 0 at creation, retuned after each halt (<see cref="HaltPollWindow"/>).</summary>
    public double PollNs;
    /// <summary>Until when it polls: the halt-poll window's end, or earlier when another thread wanted its core.</summary>
    public double PollUntil;
    /// <summary>Halted time before this is accounted already (a quantum boundary may account part of a halt).</summary>
    public double AccountedTo;

    // Idle without leaving guest mode (GuestIdle): the guest's poll loop, or HLT when KVM does not intercept it.
    public GuestIdleKind InGuest;
    /// <summary>A guest poll is queued (the idle loop has TIF_POLLING_NRFLAG set from here on).</summary>
    public bool PollQueued;
    public double InGuestSince;
    /// <summary>The guest clock while idle in guest mode: it does not advance (no guest work runs).</summary>
    public double InGuestClock;
    /// <summary>cpuidle-haltpoll's per-vCPU poll_limit_ns (<see cref="GuestPollWindow"/>).</summary>
    public double GuestPollNs;
    /// <summary>The last guest poll ran out its window with nothing to do (cpuidle's poll_time_limit): the next idle state is HLT.</summary>
    public bool GuestPollTimedOut;
}

/// <summary>How a vCPU idles in guest mode.</summary>
internal enum GuestIdleKind : byte { None, Polling, Halted }
