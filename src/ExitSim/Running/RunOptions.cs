namespace ExitSim.Running;

/// <summary>How to run a scenario: overrides of its run: section and the machine resources to use.</summary>
public sealed record RunOptions
{
    public ulong? Seed { get; init; }
    public int? Replications { get; init; }
    public double? DurationNs { get; init; }
    /// <summary>Worker threads for replications; results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>The optimisation plug-ins the caller applied to the scenario before running it: recorded in the result and the report, not applied here.</summary>
    public IReadOnlyList<string> Optimisations { get; init; } = [];
}
