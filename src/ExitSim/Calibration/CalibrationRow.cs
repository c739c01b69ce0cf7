namespace ExitSim.Calibration;

/// <summary>One line of calibrate's summary table: one exit reason on one path (<c>kernel</c> or <c>userspace</c>).</summary>
public sealed record CalibrationRow(
    string Reason, string Path, long Samples, double? RatePerSecond, string Clock, string Family, string Parameters, double? Ks, string Source, string? Note);

/// <summary>What calibration produced: a scenario, a comment for each fitted number, and the summary.</summary>
public sealed record CalibrationResult(
    Scenarios.Scenario Scenario, IReadOnlyDictionary<string, string> Annotations, IReadOnlyList<CalibrationRow> Rows, IReadOnlyList<string> Notes);
