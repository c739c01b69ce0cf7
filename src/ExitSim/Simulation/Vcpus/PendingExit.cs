namespace ExitSim.Simulation.Vcpus;

/// <summary>An exit whose end is not known when it starts: it waits for the QEMU thread, or it halts.</summary>
internal struct PendingExit
{
    public int Site;
    public ExitAction Action;
    public int Arg;
    public double Start, Save, Handle;
    /// <summary>The vCPU's guest clock when it left the guest.</summary>
    public double GuestClock;

    /// <summary>When KVM is done with it: save and handle are over.</summary>
    public readonly double Handled => Start + Save + Handle;
}
