using ExitSim.Model;

namespace ExitSim.Calibration.Fitting;

/// <summary>What calibration makes of one measured reason: its rate and, where the source allows, its cost distribution.</summary>
public sealed record ReasonFit
{
    public required string Reason { get; init; }

    public ExitPath? Path { get; init; }

    public required RateEstimate Rate { get; init; }

    /// <summary>Per-exit time distribution (for HLT: the halted time, see <see cref="IsIdleTime"/>); null for count-only sources.</summary>
    public FittedDistribution? Distribution { get; init; }

    /// <summary>True for HLT: its measured time is the time the vCPU was halted, not the cost of the exit.</summary>
    public required bool IsIdleTime { get; init; }

    /// <summary>Why there is no distribution, when there is none.</summary>
    public string? Note { get; init; }
}
