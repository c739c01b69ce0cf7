namespace ExitSim.Optimisations;

/// <summary>A set of optimisations that cannot be applied (unknown name, wrong vendor, conflicting or unsupported combination): a usage error.</summary>
public sealed class OptimisationException(string message) : Exception(message);
