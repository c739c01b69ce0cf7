namespace ExitSim.Probe.Validation;

/// <summary>A probed path's mean cost in the profile and as measured alongside a workload's batches.</summary>
public sealed record PathDrift(string Path, double ProfileNs, double AlongsideNs)
{
    public double DriftPct => 100 * (AlongsideNs - ProfileNs) / ProfileNs;
}

/// <summary>Whether a prediction's error is within the tolerance, given the measurement's own 95 % CI.</summary>
public enum ErrorVerdict { Within, Beyond, Undecided }

/// <summary>One workload: the real guest's time per request against ExitSim's predictions.</summary>
public sealed record ValidationOutcome(
    ValidationWorkload Workload,
    uint IterationsPerRequest,
    int RequestsPerBatch,
    int Batches,
    double MeasuredNs,
    double MeasuredCi95Pct,
    IReadOnlyList<string> CountProblems,
    IReadOnlyList<StatsCheck> Counters,
    double PredictedNs,
    double PredictedCi95Ns,
    string ScenarioYaml)
{
    /// <summary>The request's measured time without its exit instructions: the compute the scenario was given.</summary>
    public double ComputeNs { get; init; }

    /// <summary>The prediction with each path costed as measured alongside the batches (NaN when not measured).</summary>
    public double AlongsideNs { get; init; } = double.NaN;

    /// <summary>Each path's mean: the profile's, and measured alongside.</summary>
    public IReadOnlyList<PathDrift> Drift { get; init; } = [];

    /// <summary>The prediction from the profile (what a user gets).</summary>
    public double ErrorPct => 100 * (PredictedNs - MeasuredNs) / MeasuredNs;

    /// <summary>The model's error: the prediction from the costs measured alongside.</summary>
    public double AlongsideErrorPct => 100 * (AlongsideNs - MeasuredNs) / MeasuredNs;

    /// <summary>
    /// Within ±<see cref="ValidationReport.TolerancePct"/> even at the far end of the measurement's 95 % CI, beyond it
    /// even at the near end, or undecided: the CI straddles the tolerance.
    /// </summary>
    public ErrorVerdict Verdict =>
        Math.Abs(AlongsideErrorPct) + MeasuredCi95Pct <= ValidationReport.TolerancePct ? ErrorVerdict.Within
        : Math.Abs(AlongsideErrorPct) - MeasuredCi95Pct > ValidationReport.TolerancePct ? ErrorVerdict.Beyond
        : ErrorVerdict.Undecided;
}

/// <summary>All workloads of one validation run, and what can be judged of them.</summary>
public sealed record ValidationReport(string ProfilePath, bool ProfileNoisy, bool EmulatedHost, IReadOnlyList<ValidationOutcome> Outcomes)
{
    /// <summary>The model's error a host should stay within: exit costs net of the probe's loop and the compute measured, nothing else is left to miss.</summary>
    public const double TolerancePct = 3;

    /// <summary>
    /// The model is judged on the costs measured alongside, workload by workload, against the measurement's own CI;
    /// never on an emulated CPU (an emulator's exit costs are not KVM's, and drift by tens of percent).
    /// </summary>
    public bool Judged => !EmulatedHost;
    public double MaxAbsErrorPct => Outcomes.Count == 0 ? 0 : Outcomes.Max(o => Math.Abs(o.ErrorPct));
    public double MaxAbsAlongsideErrorPct => Outcomes.Count == 0 ? 0 : Outcomes.Max(o => Math.Abs(o.AlongsideErrorPct));
    public bool WithinTolerance => Outcomes.All(o => o.Verdict == ErrorVerdict.Within);

    /// <summary>The path whose cost moved most since the profile was taken (null when none was measured alongside).</summary>
    public PathDrift? LargestDrift => Outcomes.SelectMany(o => o.Drift).MaxBy(d => Math.Abs(d.DriftPct));
}
