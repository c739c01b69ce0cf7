namespace ExitSim.Plots;

/// <summary>A chart with the stable file name (no extension) <see cref="ChartSet"/> writes it under.</summary>
public sealed record NamedChart(string FileName, Chart Chart);
