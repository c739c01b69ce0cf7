namespace ExitSim.Distributions;

/// <summary>A distribution text that does not parse; <see cref="Offset"/> is the 0-based character where it goes wrong.</summary>
public sealed class DistributionSyntaxException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}
