namespace ExitSim.Simulation.Host;

/// <summary>A thread's standing with the <see cref="HostScheduler"/>.</summary>
internal struct CoreState
{
    /// <summary>The quantum in which it holds a core (-1: none yet).</summary>
    public long RunQuantum;
    /// <summary>Until when it waits for a core.</summary>
    public double StolenUntil;
    /// <summary>The thread's index with the scheduler (vCPUs first, then host threads).</summary>
    public int Id;

    public CoreState()
    {
        RunQuantum = -1;
        StolenUntil = 0;
    }
}
