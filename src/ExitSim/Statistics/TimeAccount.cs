namespace ExitSim.Statistics;

/// <summary>
/// Where a vCPU's time went inside the measurement window. Guest + the exit phases + halted (polling
/// or blocked) + steal add up to the window length: the conservation law the tests check.
/// </summary>
public sealed class TimeAccount
{
    public double Guest, Save, Handle, Wait, Emulate, Reenter;
    /// <summary>Halted and spinning in KVM's halt polling: host CPU burnt while the vCPU has nothing to do.</summary>
    public double Poll;
    /// <summary>Halted and blocked: the vCPU thread sleeps, its host CPU is free.</summary>
    public double Idle;
    /// <summary>Runnable but waiting for a host core (the host scheduler gave its quantum to another thread).</summary>
    public double Steal;

    public double Exit => Save + Handle + Wait + Emulate + Reenter;
    public double Total => Guest + Exit + Poll + Idle + Steal;
    /// <summary>Time the vCPU had work (not halted).</summary>
    public double Busy => Guest + Exit;

    public void Add(TimeAccount o)
    {
        Guest += o.Guest; Save += o.Save; Handle += o.Handle; Wait += o.Wait; Emulate += o.Emulate; Reenter += o.Reenter;
        Poll += o.Poll; Idle += o.Idle; Steal += o.Steal;
    }
}
