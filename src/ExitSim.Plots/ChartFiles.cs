namespace ExitSim.Plots;

/// <summary>The two files a chart is written to.</summary>
public sealed record ChartFiles(string Png, string Svg);
