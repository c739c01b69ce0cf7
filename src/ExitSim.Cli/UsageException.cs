namespace ExitSim.Cli;

/// <summary>A bad option value: printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
