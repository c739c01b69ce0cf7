using ExitSim.Comparison;
using ExitSim.Explain;
using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Explain;

/// <summary>The database scenario explained once with the default (quick) settings, shared by the tests below.</summary>
public sealed class DatabaseExplanation
{
    public Scenario Scenario { get; } = ScenarioLoader.LoadFile(Repo.Path("scenarios", "seed-article", "database.yaml"));
    public Explanation Result { get; }

    public DatabaseExplanation() => Result = ExplainRunner.Run(Scenario);
}

public class ExplainRunnerTests(DatabaseExplanation database) : IClassFixture<DatabaseExplanation>
{
    private readonly Explanation _e = database.Result;

    [Fact]
    public void The_database_ranking_has_the_applicable_plug_ins_and_the_scenarios_combination_with_finite_intervals()
    {
        var names = _e.Ranking.Select(r => r.Name).ToArray();
        Assert.Contains("virtio", names);
        Assert.Contains("apicv", names);
        Assert.Contains("hugepages-2m", names);
        Assert.Contains("posted-interrupts", names);
        var combination = Assert.Single(_e.Ranking, r => r.Combination);
        Assert.Equal("virtio + hugepages-2m + apicv", combination.Name);
        Assert.Equal(new[] { "virtio", "hugepages-2m", "apicv" }, combination.Optimisations);
        foreach (var r in _e.Ranking)
        {
            Assert.True(double.IsFinite(r.Effect.DeltaPct), r.Name);
            Assert.True(r.Effect.Ci95Pct is { } ci && double.IsFinite(ci) && ci >= 0, $"{r.Name}: CI {r.Effect.Ci95Pct}");
            Assert.False(string.IsNullOrWhiteSpace(r.Summary));
            Assert.Equal(_e.Replications, r.Comparison.Replications);
        }
        // The seed's own arm and virtio remove the emulated register exits: clear throughput gains.
        Assert.True(combination.Significant && combination.Effect.DeltaPct > 10);
        Assert.True(_e.Ranking.Single(r => r.Name == "virtio").Effect.DeltaPct > 10);
    }

    [Fact]
    public void The_ranking_is_ordered_by_the_stated_metric()
    {
        Assert.Equal("throughput_ops_per_second", _e.Metric.Name);
        Assert.True(_e.Metric.HigherIsBetter);
        Assert.Equal(Enumerable.Range(1, _e.Ranking.Length), _e.Ranking.Select(r => r.Rank));
        foreach (var r in _e.Ranking)
            Assert.Equal(r.Comparison.Metrics.Single(m => m.Name == "throughput_ops_per_second"), r.Effect);
        for (int i = 1; i < _e.Ranking.Length; i++)
            Assert.True(_e.Ranking[i - 1].Effect.DeltaPct >= _e.Ranking[i].Effect.DeltaPct,
                $"{_e.Ranking[i - 1].Name} ({_e.Ranking[i - 1].Effect.DeltaPct:0.00}%) ranked above {_e.Ranking[i].Name} ({_e.Ranking[i].Effect.DeltaPct:0.00}%)");
    }

    [Fact]
    public void Refused_plug_ins_are_not_recommended_but_listed_with_the_reason()
    {
        var ranked = _e.Ranking.Select(r => r.Name).ToHashSet();
        foreach (var (name, reason) in new[]
                 {
                     ("avic", "'avic' is AMD hardware but the host is vendor: intel"),
                     ("vhost", "vhost serves virtio queues but the nic is an emulated e1000"),
                     ("iothread", "iothread serves virtio queues but the disk is an emulated ahci"),
                     ("multiqueue", "multiqueue needs virtio devices"),
                 })
        {
            Assert.DoesNotContain(name, ranked);
            var skip = Assert.Single(_e.Skipped, s => s.Name == name);
            Assert.Equal(SkipKind.Refused, skip.Kind);
            Assert.Contains(reason, skip.Reason);
        }
        // Every plug-in is either ranked or skipped, once.
        Assert.Equal(OptimisationCatalog.All.Select(o => o.Name).Order(), _e.Ranking.Where(r => !r.Combination).Select(r => r.Name).Concat(_e.Skipped.Select(s => s.Name)).Order());
    }

    [Fact]
    public void The_missed_KPIs_are_the_reports_rows_that_miss_their_target()
    {
        Assert.NotEmpty(_e.MissedKpis);
        Assert.Equal(_e.Report.Kpis.Where(k => !k.Ok), _e.MissedKpis);
        Assert.Contains(_e.MissedKpis, k => k.Name == "exit rate");
        Assert.All(_e.MissedKpis, k => Assert.True(k.Value >= k.Target));
        string text = ExplainTextFormatter.Format(_e);
        Assert.Contains($"KPIs: {_e.MissedKpis.Length} of {_e.Report.Kpis.Length} missed", text);
        foreach (var k in _e.MissedKpis) Assert.Contains(k.Name, text);
    }

    [Fact]
    public void Hotspots_name_the_reason_and_the_phases_that_take_the_exit_time()
    {
        var top = _e.Hotspots[0];
        Assert.Equal("EPT_MISCONFIG", top.Reason);   // AHCI/e1000 registers
        Assert.True(top.TimePct > 50);
        Assert.NotEmpty(top.Dominant);
        Assert.True(top.Dominant.Sum(p => p.SharePct) >= ExplainRunner.DominantPhasesPct);
        Assert.Equal(100, top.Phases.Sum(p => p.SharePct), 6);
        Assert.Equal(_e.Hotspots.OrderByDescending(h => h.TimePct).Select(h => h.Reason), _e.Hotspots.Select(h => h.Reason));
        Assert.Equal(100, _e.Phases.Sum(p => p.SharePct), 6);
        Assert.Contains("EPT_MISCONFIG: ", ExplainTextFormatter.Format(_e));
        Assert.Contains("% of exit time", ExplainTextFormatter.Format(_e));
    }

    [Fact]
    public void Each_comparison_is_what_compare_itself_gives()
    {
        // explain runs the before arm once for all changes; that must not change any number.
        var options = new RunOptions { Replications = _e.Replications, DurationNs = _e.SimulatedSeconds * 1e9 };
        var virtio = ComparisonRunner.Run(database.Scenario, OptimisationCatalog.Apply(database.Scenario, ["virtio"]), "virtio", options);
        Assert.Equal(virtio.Metrics, _e.Ranking.Single(r => r.Name == "virtio").Comparison.Metrics);
    }

    [Fact]
    public void Without_a_workload_every_plug_in_but_the_ticks_own_is_skipped_and_running_them_really_changes_nothing()
    {
        var s = ScenarioLoader.LoadFile(Repo.Path("scenarios", "classroom", "03-interrupts.yaml"));
        var e = ExplainRunner.Run(s, new ExplainOptions { Replications = 2, DurationNs = 20e6 });
        // disable-exits passes MWAIT through, so KVM backs the 1000 Hz guest tick with a host hrtimer instead of the
        // preemption timer (kvm_can_use_hv_timer): its exits change even with exits given as rates.
        Assert.Equal(["disable-exits"], e.Ranking.Select(r => r.Name));
        Assert.Equal(ExplainRunner.ExitTimeShare, e.Metric.Name);
        // Today's defaults already have halt polling, APICv and posted interrupts.
        foreach (var on in new[] { "halt-polling", "apicv", "posted-interrupts", "pv-eoi", "steal-time" })
            Assert.Equal(SkipKind.AlreadyInEffect, e.Skipped.Single(x => x.Name == on).Kind);
        var noEffect = e.Skipped.Where(x => x.Kind == SkipKind.NoEffect).Select(x => x.Name).ToArray();
        Assert.Equal(new[] { "hugepages-2m", "hugepages-1g", "ipiv", "guest-haltpoll", "pv-tlb-flush", "pv-sched-yield", "pv-ipi" }, noEffect);   // guest-haltpoll acts on a workload's idle vCPUs, the PV ones on TLB shootdowns
        // The shortcut is what a run would find: identical numbers in every paired replication.
        var options = new RunOptions { Replications = 2, DurationNs = 20e6 };
        foreach (var name in noEffect)
        {
            var c = ComparisonRunner.Run(s, OptimisationCatalog.Apply(s, [name]), name, options);
            Assert.All(c.Metrics, m => Assert.True(m.Before == m.After && m.Ci95Pct is null or 0, $"{name} changes {m.Name}"));
        }
    }

    [Fact]
    public void The_exit_time_metric_is_one_minus_guest_time_with_the_same_paired_interval()
    {
        var c = new ComparisonResult("x", "y", 1, 3, [new ComparisonRow("guest_time_fraction", 0.8, 0.9, 12.5, 2.5) { Ci95 = 0.02 }]);
        var metric = ExplainRunner.Metric(ScenarioLoader.LoadFile(Repo.Path("scenarios", "classroom", "01-what-is-an-exit.yaml")), _e.Report);
        var row = ExplainRunner.Effect(metric, c);
        Assert.False(metric.HigherIsBetter);
        Assert.Equal(0.2, row.Before, 12);
        Assert.Equal(0.1, row.After, 12);
        Assert.Equal(-50, row.DeltaPct, 9);
        Assert.Equal(2.5 * 0.8 / 0.2, row.Ci95Pct!.Value, 9);   // ± 0.02 absolute, of 0.2
        Assert.Equal(0.02, row.Ci95!.Value, 12);
        Assert.Equal(-0.1, row.Delta, 12);                      // shown as −10 pp
        Assert.True(ExplainRunner.Benefit(metric, row) > 0);
    }

    [Fact]
    public void Every_plug_in_has_a_one_sentence_summary()
    {
        foreach (var o in OptimisationCatalog.All)
        {
            Assert.EndsWith(".", o.Summary);
            Assert.DoesNotContain(". ", o.Summary.TrimEnd('.'));
            Assert.True(char.IsUpper(o.Summary[0]), o.Name);
            Assert.True(o.Summary.Length < o.Mechanism.Length + 40 && o.Summary.Length <= 180, $"{o.Name}: {o.Summary.Length} characters");
        }
    }
}
