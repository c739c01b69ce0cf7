namespace ExitSim.Plots;

/// <summary>How <see cref="ExitTimeByReasonChart"/> measures exit time.</summary>
public enum ExitTimeScale
{
    /// <summary>Microseconds of exit time per second of simulated time, per VM (summed over its vCPUs).</summary>
    MicrosecondsPerSecond,
    /// <summary>Percent of the VM's vCPU time (100 % = every vCPU in exits all the time).</summary>
    PercentOfVcpuTime,
}
