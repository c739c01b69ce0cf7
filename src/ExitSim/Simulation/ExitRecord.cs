namespace ExitSim.Simulation;

/// <summary>
/// One simulated exit with its phases (ns), as handed to an <see cref="IExitSink"/>. An HLT exit is
/// halted (polling or blocked) between its handle and its wait (the wake-up); that idle time is not
/// part of its latency. <see cref="Site"/> says where it came from, so its path (a reason may take
/// both, e.g. a virtio notify at an ioeventfd and an emulated register in QEMU).
/// </summary>
public readonly record struct ExitRecord(
    int Vcpu, int Reason, double Start, double Save, double Handle, double Wait, double Emulate, double Reenter, double Halted = 0, int Site = -1)
{
    public double Latency => Save + Handle + Wait + Emulate + Reenter;
    public double End => Start + Latency + Halted;
}

/// <summary>
/// Receives every exit of a replication in the order they are decided (not strictly by start time
/// across vCPUs). Used for trace export and timelines; runs without a sink pay one null check per exit.
/// </summary>
public interface IExitSink
{
    void OnExit(in ExitRecord exit);

    /// <summary>
    /// Called at the end of the run for each userspace exit that had started but not yet reached its
    /// QEMU thread: only <see cref="ExitRecord.Save"/> and <see cref="ExitRecord.Handle"/> are known
    /// (the other phases are 0). Timelines need it to account for the vCPU up to the end; counts ignore it.
    /// </summary>
    void OnUnfinishedExit(in ExitRecord exit) { }
}
