namespace ExitSim.Evidence;

/// <summary>
/// One published result ExitSim is checked against (a file of <c>validation/published/</c>): where it was
/// published, the figure it reports, the arms that set it up in ExitSim, the simulated figure to compare
/// and the band it must fall in. A case the model cannot express yet has no arms, figure or band, and
/// says in <see cref="Needs"/> which mechanism is missing: it stays on the scoreboard.
/// </summary>
public sealed record EvidenceCase
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>The mechanism the published result exercises, in a few words.</summary>
    public required string Mechanism { get; init; }
    public required CaseSource Source { get; init; }
    public required PublishedFigure Published { get; init; }
    public required CaseStatus Status { get; init; }
    /// <summary>For a case that is not expressible: the missing mechanism, one line.</summary>
    public string? Needs { get; init; }
    /// <summary>The ExitSim arms by name, in file order (none when not expressible).</summary>
    public IReadOnlyList<CaseArm> Arms { get; init; } = [];
    public CaseFigure? Figure { get; init; }
    public ToleranceBand? Band { get; init; }
    /// <summary>What the case assumes, each with the range it was taken from.</summary>
    public IReadOnlyList<CaseAssumption> Assumes { get; init; } = [];
    /// <summary>The shared parameter set the arms start from (a file name under <c>parameters/</c>), if any.</summary>
    public string? Parameters { get; init; }
    /// <summary>The comparison in words (for a not-expressible case, the one it would make).</summary>
    public string? Check { get; init; }
    /// <summary>The case file, for messages.</summary>
    public required string File { get; init; }

    public CaseArm Arm(string name) => Arms.First(a => a.Name == name);
}

/// <summary>Whether ExitSim can set the case up with the mechanisms it has today.</summary>
public enum CaseStatus { Expressible, NotExpressible }
