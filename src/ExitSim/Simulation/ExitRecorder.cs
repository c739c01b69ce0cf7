namespace ExitSim.Simulation;

/// <summary>Keeps every exit of a replication in memory (for trace export; ~64 bytes per exit).</summary>
public sealed class ExitRecorder : IExitSink
{
    public List<ExitRecord> Exits { get; } = [];
    public void OnExit(in ExitRecord exit) => Exits.Add(exit);
}
