namespace ExitSim.Explain;

/// <summary>
/// How quick <c>exitsim explain</c> runs are: a few replications of a short window, so that every
/// plug-in can be tried in seconds. The scenario's warm-up is kept (it removes start-up effects,
/// which a shorter window would make worse, not better).
/// </summary>
public sealed record ExplainOptions
{
    public const int DefaultReplications = 3;
    /// <summary>The default window: 300 ms, or the scenario's duration if that is shorter.</summary>
    public const double DefaultDurationNs = 300e6;

    /// <summary>Paired replications per arm (at least 2, for confidence intervals).</summary>
    public int Replications { get; init; } = DefaultReplications;
    /// <summary>Measured simulated time per replication; null: <see cref="DefaultDurationNs"/> or the scenario's, whichever is shorter.</summary>
    public double? DurationNs { get; init; }
    /// <summary>Null: the scenario's run.seed.</summary>
    public ulong? Seed { get; init; }
    /// <summary>Worker threads for replications; results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
