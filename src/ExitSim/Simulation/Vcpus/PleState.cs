namespace ExitSim.Simulation.Vcpus;

/// <summary>A vCPU's pause-loop exiting: its current window and the spin-wait it is in (see <see cref="PauseLoopExiting"/>).</summary>
internal struct PleState
{
    /// <summary>The vCPU's PLE window (ns of one PAUSE loop before it exits).</summary>
    public double WindowNs;
    /// <summary>Spinning still to do after the exit that is due.</summary>
    public double SpinLeftNs;
    /// <summary>The spin stream's next deadline is a PLE exit (the spin outlasted the window), not a new spin-wait.</summary>
    public bool ExitDue;
}
