namespace ExitSim.Calibration.Importers;

/// <summary>Reads one tool's text output.</summary>
public interface IMeasurementImporter
{
    MeasurementFormat Format { get; }

    /// <summary>
    /// Parses as much of the file as this format's grammar allows. Never throws for bad input; throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancel"/> is set (Ctrl-C).
    /// </summary>
    ImportScan Scan(SourceText source, CancellationToken cancel = default);
}
