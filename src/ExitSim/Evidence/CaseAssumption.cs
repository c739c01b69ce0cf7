namespace ExitSim.Evidence;

/// <summary>A parameter a case assumes: its value and where the value (or its range) comes from.</summary>
public sealed record CaseAssumption(string Name, string Value, string Source);
