namespace ExitSim.Evidence;

/// <summary>
/// One case's row of the scoreboard: the simulated figure (mean over replications) with its 95 %
/// half-width, the band, and the verdict — null for a case that is not expressible. <see cref="Note"/>
/// says why a case failed when the band alone does not (an identity that does not hold).
/// </summary>
public sealed record CaseResult(
    string Id, string Title, string Mechanism, CaseStatus Status, string? Needs, CaseSource Source, PublishedFigure Published,
    string Unit, double? Simulated, double? Ci95, ToleranceBand? Band, bool? Pass, int Replications, string? Note)
{
    /// <summary>The comparison in words (<see cref="EvidenceCase.Check"/>).</summary>
    public string? Check { get; init; }
    public IReadOnlyList<CaseAssumption> Assumes { get; init; } = [];
}

/// <summary>Every case's result, in case-id order: data only (no wall-clock time, so it is byte-stable).</summary>
public sealed record Scoreboard(IReadOnlyList<CaseResult> Cases)
{
    public string Version { get; init; } = Running.ExitSimVersion.Current;
    public int Passed => Cases.Count(c => c.Pass == true);
    public int Failed => Cases.Count(c => c.Pass == false);
    public int NotExpressible => Cases.Count(c => c.Status == CaseStatus.NotExpressible);
}
