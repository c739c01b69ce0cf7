using ExitSim.Scenarios;

namespace ExitSim.Evidence;

/// <summary>
/// One ExitSim set-up of a case: the scenario it runs (the shared parameter set, the arm's own YAML,
/// then its <c>set:</c> keys, then its <c>with:</c> plug-ins), and those changes in words for the scoreboard.
/// Every arm of a case runs with the same seed and replications (common random numbers).
/// </summary>
public sealed record CaseArm(string Name, Scenario Scenario, IReadOnlyList<string> With, IReadOnlyList<string> Set);
