namespace ExitSim.Calibration.Importers;

/// <summary>The outcome of format detection: the best-scoring format (null if none recognised a line) and every score.</summary>
public sealed record FormatDetection
{
    public required MeasurementFormat? Format { get; init; }

    /// <summary>Recognised data lines per format.</summary>
    public required IReadOnlyDictionary<MeasurementFormat, int> Scores { get; init; }
}
