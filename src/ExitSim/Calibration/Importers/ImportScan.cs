namespace ExitSim.Calibration.Importers;

/// <summary>
/// What one importer made of a file. Scanning never throws, so the same pass serves format detection (by
/// <see cref="RecognisedLines"/>) and import (which turns <see cref="Problem"/> into an exception).
/// </summary>
public sealed record ImportScan
{
    public required MeasurementFormat Format { get; init; }

    public required IReadOnlyList<Measurement> Measurements { get; init; }

    /// <summary>Data lines this format's grammar matched (blank and comment lines not counted).</summary>
    public required int RecognisedLines { get; init; }

    /// <summary>Every line the importer skipped (also found in the measurement each belongs to).</summary>
    public required IReadOnlyList<SkippedLine> SkippedLines { get; init; }

    public ImportProblem? Problem { get; init; }
}
