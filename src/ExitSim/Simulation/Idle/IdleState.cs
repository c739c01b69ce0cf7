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
    public double HaltStart;
    /// <summary>Its adaptive halt-polling window (KVM's per-vCPU halt_poll_ns): 0 at creation, retuned after each halt (<see cref="HaltPollWindow"/>).</summary>
    public double PollNs;
    /// <summary>Until when it polls: the halt-poll window's end, or earlier when another thread wanted its core.</summary>
    public double PollUntil;
    /// <summary>Halted time before this is accounted already (a quantum boundary may account part of a halt).</summary>
    public double AccountedTo;
}
