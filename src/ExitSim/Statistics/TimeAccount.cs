namespace ExitSim.Statistics;

/// <summary>
/// Where a vCPU's time went inside the measurement window. Guest + the exit phases (+ halted, later)
/// add up to the window length: the conservation law the tests check.
/// </summary>
public sealed class TimeAccount
{
    public double Guest, Save, Handle, Wait, Emulate, Reenter;

    public double Exit => Save + Handle + Wait + Emulate + Reenter;
    public double Total => Guest + Exit;

    public void Add(TimeAccount o)
    {
        Guest += o.Guest; Save += o.Save; Handle += o.Handle; Wait += o.Wait; Emulate += o.Emulate; Reenter += o.Reenter;
    }
}
