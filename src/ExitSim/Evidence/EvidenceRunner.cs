using ExitSim.Running;
using ExitSim.Statistics;

namespace ExitSim.Evidence;

/// <summary>
/// Runs the cases: every arm of a case with the case's seed and replications (common random numbers:
/// streams are keyed by seed, replication and purpose, so what an arm does not change draws the same
/// numbers), the figure per replication — paired across arms — then its mean and 95 % CI, and the verdict.
/// Replications run on all cores; the result does not depend on the thread count.
/// </summary>
public static class EvidenceRunner
{
    public static Scoreboard Run(IReadOnlyList<EvidenceCase> cases, RunOptions? options = null, CancellationToken cancel = default,
        Action<EvidenceCase>? starting = null)
    {
        options ??= new RunOptions();
        var results = new List<CaseResult>();
        foreach (var c in cases)
        {
            cancel.ThrowIfCancellationRequested();
            starting?.Invoke(c);
            results.Add(RunCase(c, options, cancel));
        }
        return new Scoreboard(results);
    }

    public static CaseResult RunCase(EvidenceCase c, RunOptions? options = null, CancellationToken cancel = default)
    {
        if (c.Status == CaseStatus.NotExpressible || c.Figure is not { } figure || c.Band is not { } band)
            return new CaseResult(c.Id, c.Title, c.Mechanism, c.Status, c.Needs, c.Source, c.Published, c.Published.Unit,
                null, null, c.Band, null, 0, null) { Check = c.Check, Assumes = c.Assumes };
        options ??= new RunOptions();
        // Only the arms the figure reads are run; their seed and replications are the case's run: section.
        var names = figure.Before is { } b ? new[] { b, figure.After } : [figure.After];
        var values = names.ToDictionary(n => n, n => Values(c.Arm(n), figure, options, cancel));
        var after = values[figure.After];
        double[] perReplication = figure.Before is null ? after
            : after.Select((y, i) => Combine(figure.Kind, values[figure.Before][i], y)).ToArray();
        var estimate = Estimate.Of(perReplication);
        double? ci = double.IsNaN(estimate.HalfWidth95) ? null : estimate.HalfWidth95;
        string? note = null;
        bool pass = Verdict(estimate.Mean, ci, band);
        if (figure.Identity is { } closed && !IdentityHolds(estimate.Mean, closed))
        {
            pass = false;
            note = $"the identity does not hold: simulated {estimate.Mean:0.###} {figure.Unit}, closed form {closed:0.###} {figure.Unit}";
        }
        else if (figure.Identity is { } holds) note = $"identity holds: equals the closed form {holds:0.###} {figure.Unit}";
        return new CaseResult(c.Id, c.Title, c.Mechanism, c.Status, c.Needs, c.Source, c.Published, figure.Unit,
            estimate.Mean, ci, band, pass, perReplication.Length, note) { Check = c.Check, Assumes = c.Assumes };
    }

    /// <summary>
    /// Pass when the whole 95 % interval of the simulated figure lies in the band: a mean inside it with an
    /// interval reaching out of it has not shown agreement (run more replications). A figure whose interval is
    /// unknown (one replication) cannot pass.
    /// </summary>
    public static bool Verdict(double mean, double? ci95, ToleranceBand band) =>
        ci95 is { } h && double.IsFinite(mean) && band.Contains(mean - h) && band.Contains(mean + h);

    /// <summary>A closed form agrees to rounding (one part in a million): the figure is a sum of the same doubles in another order.</summary>
    public static bool IdentityHolds(double simulated, double closedForm) =>
        Math.Abs(simulated - closedForm) <= 1e-6 * Math.Max(1, Math.Abs(closedForm));

    private static double Combine(FigureKind kind, double before, double after) => kind switch
    {
        FigureKind.Ratio => after / before,
        FigureKind.Delta => after - before,
        FigureKind.Reduction => 100 * (1 - after / before),
        _ => after,
    };

    /// <summary>The figure's metric per replication of one arm, in cycles of the arm's host clock when asked.</summary>
    private static double[] Values(CaseArm arm, CaseFigure figure, RunOptions options, CancellationToken cancel)
    {
        var run = ExperimentRunner.Run(arm.Scenario, options with { Seed = null, Replications = null, DurationNs = null }, cancel: cancel);
        double scale = figure.InCycles ? arm.Scenario.Host.Ghz : 1;
        return run.Replications.Select(r => figure.Metric.Of(ReplicationMetrics.Of(run.Model, r)) * scale).ToArray();
    }
}
