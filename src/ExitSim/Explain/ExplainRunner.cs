using ExitSim.Comparison;
using ExitSim.Model;
using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Explain;

/// <summary>
/// Builds an <see cref="Explanation"/>: runs the scenario once (quick settings), reads the missed KPIs,
/// the reasons and phases that dominate exit time off its report, then simulates every optimisation
/// plug-in that applies — and the scenario's own <c>optimisations:</c> together — against that same
/// "before" arm with common random numbers, and ranks them by their effect. Nothing is looked up:
/// a plug-in's rank is what the simulation of its mechanism gives on this scenario.
/// </summary>
public static class ExplainRunner
{
    /// <summary>Reasons below this share of exit time are not listed as hotspots (the largest one always is) …</summary>
    public const double HotspotMinPct = 5;
    /// <summary>… and no more than this many.</summary>
    public const int MaxHotspots = 5;
    /// <summary>Dominant phases: the largest ones that together make up this share of the time.</summary>
    public const double DominantPhasesPct = 200.0 / 3;

    public const string ExitTimeShare = "exit_time_share";

    /// <summary>
    /// The ranking metric without a workload, derived from guest time (not in <see cref="MetricTable"/>: compare and
    /// sweep report guest time itself): exits/s × mean exit latency as a share of the vCPUs' time.
    /// </summary>
    public static readonly Metric ExitTimeShareMetric =
        new(ExitTimeShare, "exit time", "exit time", "%", 100, Better.Lower, false, false, x => 1 - x.GuestTimeFraction);

    /// <summary>The metric of a ranking or comparison row by name.</summary>
    public static Metric MetricOf(string name) => name == ExitTimeShare ? ExitTimeShareMetric : MetricTable.Get(name);

    /// <param name="progress">Given the scenario and each optimisation simulated against it as its steps, once they are known.</param>
    public static Explanation Run(Scenario scenario, ExplainOptions? options = null, CancellationToken cancel = default, StepProgress? progress = null)
    {
        options ??= new ExplainOptions();
        var run = new RunOptions
        {
            Seed = options.Seed,
            Replications = options.Replications,
            DurationNs = options.DurationNs ?? Math.Min(ExplainOptions.DefaultDurationNs, scenario.Run.Duration.Value),
            Threads = options.Threads,
        };
        var skipped = new List<SkippedOptimisation>();
        var candidates = new List<(string Name, string[] Names, bool Combination, string Summary, Scenario After)>();
        foreach (var o in OptimisationCatalog.All)
        {
            if (Candidate(scenario, o.Name, [o.Name], out var after) is { } skip) skipped.Add(skip);
            else candidates.Add((o.Name, [o.Name], false, o.Summary, after));
        }
        if (scenario.Optimisations.Count >= 2)
        {
            string[] names = scenario.Optimisations.ToArray();
            string name = string.Join(" + ", names);
            if (Candidate(scenario, name, names, out var after) is { } skip) skipped.Add(skip);
            else candidates.Add((name, names, true,
                $"The scenario's own optimisations: together ({string.Join(", ", names)}); their effects need not add up.", after));
        }

        progress?.Plan([(scenario.Name, 1), .. candidates.Select(c => (c.Name, 1.0))]);
        var before = ExperimentRunner.Run(scenario, run, progress?.Next(ComparisonRunner.Replications(scenario, run)), cancel);
        var report = ReportBuilder.Build(before);
        var metric = Metric(scenario, report);

        var measured = new List<Recommendation>();
        foreach (var c in candidates)
        {
            var comparison = ComparisonRunner.Run(before, c.After, string.Join(", ", c.Names), run, cancel, c.Names, progress: progress);
            if (comparison.Metrics.All(m => m.Before == m.After && m.Ci95Pct is null or 0))
            {
                skipped.Add(new SkippedOptimisation(c.Name, SkipKind.NoEffect, "simulated: no metric changed in any paired replication"));
                continue;
            }
            measured.Add(new Recommendation(0, c.Name, c.Names, c.Combination, c.Summary, Effect(metric, comparison),
                Row(comparison, MetricTable.ExitsPerSecond.Name), Row(comparison, MetricTable.MeanExitLatency.Name), comparison));
        }
        var ranking = measured
            .OrderByDescending(r => Benefit(metric, r.Effect))
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select((r, i) => r with { Rank = i + 1 })
            .ToArray();

        return new Explanation
        {
            Scenario = report.Scenario,
            Description = report.Description,
            Vendor = report.Vendor,
            Seed = report.Seed,
            Replications = report.Replications,
            SimulatedSeconds = report.SimulatedSeconds,
            WarmupSeconds = report.WarmupSeconds,
            Operation = report.Workload?.Operation,
            Report = report,
            MissedKpis = report.Kpis.Where(k => !k.Ok).ToArray(),
            Hotspots = Hotspots(report, scenario.Host.Vendor),
            Phases = report.Phases.Select(p => new PhaseShare(p.Phase, OverallLabel(p.Phase, report, scenario.Host.Vendor), p.SharePct, p.MeanPerExitNs))
                .OrderByDescending(p => p.SharePct).ToArray(),
            Metric = metric,
            Ranking = ranking,
            Skipped = skipped.ToArray(),
        };
    }

    /// <summary>
    /// The ranking metric: what the application gets (throughput) when there is a workload; otherwise
    /// the exit time itself, exits/s × mean exit latency as a share of the vCPUs' time.
    /// </summary>
    public static RankingMetric Metric(Scenario s, RunReport report) => s.Workload is not null
        ? new RankingMetric(MetricTable.Throughput.Name, $"{MetricTable.Throughput.Label} ({report.Workload?.Operation ?? s.Workload.Operation.Name}/s)",
            MetricTable.Throughput.Better == Better.Higher,
            "operations completed per second per VM: fewer or cheaper exits count only as far as they speed up the application")
        : new RankingMetric(ExitTimeShare, ExitTimeShareMetric.Label, ExitTimeShareMetric.Better == Better.Higher,
            "exits/s × mean exit latency as a share of the vCPUs' time (1 − guest time fraction; nothing halts without a workload)");

    /// <summary>
    /// Why <paramref name="names"/> is not worth a run on <paramref name="s"/> (refused, already there, or
    /// acting on nothing the scenario has), or null with the changed scenario in <paramref name="after"/>.
    /// </summary>
    public static SkippedOptimisation? Candidate(Scenario s, string name, IReadOnlyCollection<string> names, out Scenario after)
    {
        after = s;
        try { after = OptimisationCatalog.Apply(s, names); }
        catch (OptimisationException e) { return new SkippedOptimisation(name, SkipKind.Refused, e.Message); }
        if (names.All(n => OptimisationCatalog.Find(n)!.IsOn(s)))
            return new SkippedOptimisation(name, SkipKind.AlreadyInEffect, $"already on in the baseline (host.defaults {s.Host.Defaults} or the scenario's settings)");
        // Every plug-in changes a mechanism of the workload layer (devices, interrupt delivery, idling,
        // memory), the guest's TLB shootdowns, or the guest tick's exits (what backs the timer, the fastpath); exits given
        // only as rates go through none of them (a test checks this by running).
        if (s.Workload is null && s.Vm.TlbShootdowns is null && !ChangesTick(s, after))
            return new SkippedOptimisation(name, SkipKind.NoEffect, "no workload: the exits are given as rates, and every plug-in changes a workload mechanism (devices, interrupts, idling, memory)");
        return null;
    }

    /// <summary>Whether the guest ticks and the change moves its exits: KVM's timer backing (TimerTick) or the exit fastpath.</summary>
    private static bool ChangesTick(Scenario s, Scenario after) =>
        s.Vm.TimerHz > 0 && (TimerTick.Backing(s.Host.Vendor, s.Host.Features) != TimerTick.Backing(after.Host.Vendor, after.Host.Features)
                             || s.Host.Features.Contains(ExitFastpath.Feature) != after.Host.Features.Contains(ExitFastpath.Feature));

    /// <summary>The ranking metric's row of a comparison (derived from guest time for the exit-time share).</summary>
    public static ComparisonRow Effect(RankingMetric metric, ComparisonResult c)
    {
        if (metric.Name != ExitTimeShare) return Row(c, metric.Name);
        // 1 − g: the paired differences are those of g with the sign turned, so the half-width carries over.
        var g = Row(c, MetricTable.GuestTime.Name);
        double x = 1 - g.Before, y = 1 - g.After;
        double delta = x == 0 ? (y == 0 ? 0 : double.PositiveInfinity) : 100 * (y - x) / x;
        double? ci = g.Ci95 is { } h && x > 0 ? 100 * h / x : null;
        return new ComparisonRow(ExitTimeShare, x, y, delta, ci) { Ci95 = g.Ci95 };
    }

    /// <summary>How much better the change makes the metric, in % (positive = better).</summary>
    public static double Benefit(RankingMetric metric, ComparisonRow effect) => metric.HigherIsBetter ? effect.DeltaPct : -effect.DeltaPct;

    private static ComparisonRow Row(ComparisonResult c, string name) => c.Metrics.Single(m => m.Name == name);

    private static ReasonHotspot[] Hotspots(RunReport report, Vendor vendor)
    {
        var list = new List<ReasonHotspot>();
        foreach (var r in report.Reasons.Where(r => r.Samples > 0).OrderByDescending(r => r.TimePct).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            if (list.Count == MaxHotspots || (list.Count > 0 && r.TimePct < HotspotMinPct)) break;
            double total = r.MeanSaveNs + r.MeanHandleNs + r.MeanWaitNs + r.MeanEmulateNs + r.MeanReenterNs;
            var phases = new[]
            {
                (SegmentKinds.Save, r.MeanSaveNs), (SegmentKinds.Handle, r.MeanHandleNs), (SegmentKinds.Wait, r.MeanWaitNs),
                (SegmentKinds.Emulate, r.MeanEmulateNs), (SegmentKinds.Reenter, r.MeanReenterNs),
            }
                .Where(p => p.Item2 > 0)
                .Select(p => new PhaseShare(p.Item1, Label(p.Item1, r.Name, r.Path, vendor), total == 0 ? 0 : 100 * p.Item2 / total, p.Item2))
                .OrderByDescending(p => p.SharePct)
                .ToArray();
            list.Add(new ReasonHotspot(r.Name, r.Path, r.TimePct, r.SamplesPct, r.RatePerSecond, r.AvgNs, phases, Dominant(phases)));
        }
        return list.ToArray();
    }

    /// <summary>The largest phases (already sorted, largest first) that together make up <see cref="DominantPhasesPct"/>.</summary>
    public static PhaseShare[] Dominant(IReadOnlyList<PhaseShare> phases)
    {
        var result = new List<PhaseShare>();
        double sum = 0;
        foreach (var p in phases)
        {
            if (sum >= DominantPhasesPct) break;
            result.Add(p);
            sum += p.SharePct;
        }
        return result.ToArray();
    }

    /// <summary>Who spends a phase of one reason's exits.</summary>
    private static string Label(string phase, string reason, string path, Vendor vendor) => phase switch
    {
        SegmentKinds.Save => "save (hardware exit)",
        SegmentKinds.Handle => path == "userspace" ? "handle (KVM and the trip to QEMU)" : "handle (KVM)",
        SegmentKinds.Wait => reason == MechanismReasons.For(vendor, MechanismReasons.Halt) ? "wait (scheduler wake-up)" : "wait (for the QEMU thread)",
        SegmentKinds.Emulate => "emulate (QEMU)",
        SegmentKinds.Reenter => "reenter (hardware entry)",
        _ => phase,
    };

    private static string OverallLabel(string phase, RunReport report, Vendor vendor)
    {
        if (phase == SegmentKinds.Handle && report.Reasons.Any(r => r.Samples > 0 && r.Path == "userspace"))
            return "handle (KVM, and the trip to QEMU for userspace exits)";
        if (phase != SegmentKinds.Wait) return Label(phase, "", "kernel", vendor);
        string halt = MechanismReasons.For(vendor, MechanismReasons.Halt);
        bool haltWaits = report.Reasons.Any(r => r.Name == halt && r.MeanWaitNs > 0);
        bool qemuWaits = report.Reasons.Any(r => r.Name != halt && r.MeanWaitNs > 0);
        return (haltWaits, qemuWaits) switch
        {
            (true, true) => "wait (for the QEMU thread, or HLT's wake-up)",
            (true, false) => "wait (scheduler wake-up after HLT)",
            _ => "wait (for the QEMU thread)",
        };
    }
}
