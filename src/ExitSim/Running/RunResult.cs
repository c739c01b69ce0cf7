using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Running;

/// <summary>All replications of one run, in replication order (independent of the thread count).</summary>
public sealed class RunResult
{
    public required Scenario Scenario { get; init; }
    public required SimulationModel Model { get; init; }
    public required IReadOnlyList<ReplicationResult> Replications { get; init; }
    public required double WallSeconds { get; init; }
    /// <summary>The optimisation plug-ins applied to <see cref="Scenario"/> (<see cref="RunOptions.Optimisations"/>).</summary>
    public IReadOnlyList<string> Optimisations { get; init; } = [];
}
