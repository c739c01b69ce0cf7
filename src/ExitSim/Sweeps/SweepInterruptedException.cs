namespace ExitSim.Sweeps;

/// <summary>A sweep stopped (Ctrl-C) with the points that had finished, to be saved and resumed.</summary>
public sealed class SweepInterruptedException(SweepResult partial) : OperationCanceledException("sweep interrupted")
{
    public SweepResult Partial { get; } = partial;
}
