namespace ExitSim.Calibration;

/// <summary>How many vCPUs a trace shows (its vCPU threads) and what it saw of them, for the note that says so.</summary>
public sealed record VcpuInference(int Count, string Evidence);
