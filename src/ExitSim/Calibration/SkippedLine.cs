namespace ExitSim.Calibration;

/// <summary>A line an importer did not recognise but tolerated (1-based line number, text as read).</summary>
public sealed record SkippedLine(int Line, string Text);
