namespace ExitSim.Simulation;

/// <summary>One simulated exit with its phases (ns), as handed to an <see cref="IExitSink"/>.</summary>
public readonly record struct ExitRecord(
    int Vcpu, int Reason, double Start, double Save, double Handle, double Wait, double Emulate, double Reenter)
{
    public double Latency => Save + Handle + Wait + Emulate + Reenter;
    public double End => Start + Latency;
}

/// <summary>
/// Receives every exit of a replication in the order they are decided (not strictly by start time
/// across vCPUs). Used for trace export and timelines; runs without a sink pay one null check per exit.
/// </summary>
public interface IExitSink
{
    void OnExit(in ExitRecord exit);
}
