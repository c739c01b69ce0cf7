namespace ExitSim.Evidence;

/// <summary>
/// The published figure as a number in the unit the case compares (<c>cyc</c>, <c>%</c>, <c>x</c> for a
/// ratio, or a metric's unit), and as the publication states it (<see cref="Text"/>, e.g. a range).
/// </summary>
public sealed record PublishedFigure(double Value, string Unit, string Text);
