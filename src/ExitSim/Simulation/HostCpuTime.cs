namespace ExitSim.Simulation;

/// <summary>
/// Where the host's core-time went inside the window (ns summed over cores). <see cref="Idle"/> is what the
/// threads did not use, so the kinds add up to cores × window by construction; a negative idle would
/// mean the model ran more threads than cores (the approximations of the host scheduler allow a little).
/// </summary>
public sealed record HostCpuTime(int Cores, double WindowNs, double Guest, double ExitHandling, double HostThreads, double Poll, double Steal, bool Contended)
{
    public double Capacity => Cores * WindowNs;
    public double Idle => Capacity - Guest - ExitHandling - HostThreads - Poll;
}
