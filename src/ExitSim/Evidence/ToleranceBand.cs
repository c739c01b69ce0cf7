namespace ExitSim.Evidence;

/// <summary>The range the simulated figure must fall in to pass, in the figure's unit, and why it is that wide.</summary>
public sealed record ToleranceBand(double Low, double High, string Reason)
{
    public bool Contains(double value) => value >= Low && value <= High;
}
