namespace ExitSim.Probe.Validation;

/// <summary>One workload: the real guest's time per request against ExitSim's prediction.</summary>
public sealed record ValidationOutcome(
    ValidationWorkload Workload,
    uint IterationsPerRequest,
    int RequestsPerBatch,
    int Batches,
    double MeasuredNs,
    double MeasuredSpreadPct,
    IReadOnlyList<string> CountProblems,
    IReadOnlyList<StatsCheck> Counters,
    double PredictedNs,
    double PredictedCi95Ns,
    string ScenarioYaml)
{
    /// <summary>The request's measured time without its exit instructions: the compute the scenario was given.</summary>
    public double ComputeNs { get; init; }

    public double ErrorPct => 100 * (PredictedNs - MeasuredNs) / MeasuredNs;
    public bool Noisy => MeasuredSpreadPct > ValidationRunner.NoisySpreadPct;
}

/// <summary>All workloads of one validation run, and whether the host was quiet enough to judge them.</summary>
public sealed record ValidationReport(string ProfilePath, bool ProfileNoisy, bool EmulatedHost, IReadOnlyList<ValidationOutcome> Outcomes)
{
    /// <summary>The error a quiet host should stay within: exit costs net of the probe's loop and the compute measured, nothing else is left to miss.</summary>
    public const double TolerancePct = 3;

    /// <summary>
    /// Errors are judged only on a quiet host: the profile's repetitions and every workload's batches
    /// agree, and the CPU is not emulated (an emulator's exit costs drift by tens of percent between
    /// runs a minute apart, more than either check sees).
    /// </summary>
    public bool Quiet => !ProfileNoisy && !EmulatedHost && Outcomes.All(o => !o.Noisy);
    public double MaxAbsErrorPct => Outcomes.Count == 0 ? 0 : Outcomes.Max(o => Math.Abs(o.ErrorPct));
    public bool WithinTolerance => MaxAbsErrorPct <= TolerancePct;
}
