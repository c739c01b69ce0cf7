namespace ExitSim.Calibration.Importers;

/// <summary>Why a scan cannot produce a trustworthy result (e.g. a report cut off before its footer). 1-based position.</summary>
public sealed record ImportProblem(int Line, int Column, string Message);
