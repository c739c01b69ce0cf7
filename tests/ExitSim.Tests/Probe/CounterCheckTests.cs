using System.Globalization;
using System.Text.RegularExpressions;
using ExitSim.Probe;
using ExitSim.Probe.Validation;

namespace ExitSim.Tests.Probe;

/// <summary>
/// The probe's count checks fed the counter pattern of a real nested (kvm_pvm) host, where KVM's
/// io_exits statistic never moves: that is "not counted by this kernel", while a counter that moves
/// by the wrong amount is still a mismatch.
/// </summary>
public sealed class CounterCheckTests
{
    /// <summary>The fixture's run: what the guest made, and how much each KVM statistic moved (one that did not move is absent).</summary>
    private static (long UserspacePio, long UserspaceMmio, long IoEventFdPio, Dictionary<string, ulong> Deltas) NestedPvmRun()
    {
        string text = File.ReadAllText(Repo.Path("tests", "fixtures", "real-host-nested-pvm", "kvm-binary-stats-names-and-deltas.txt"));
        long Made(string key) => long.Parse(Regex.Match(text, $@"^stats_run .*\b{key}=(\d+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        var deltas = Regex.Match(text, @"^kstats_total .*$", RegexOptions.Multiline).Value
            .Split(' ').Select(kv => kv.Split('=')).Where(kv => kv.Length == 2 && double.TryParse(kv[1], CultureInfo.InvariantCulture, out _))
            .ToDictionary(kv => kv[0], kv => (ulong)double.Parse(kv[1], CultureInfo.InvariantCulture));
        // The vCPU exposes io_exits (it is in vcpu_stat_names) but it is absent from the deltas: it stayed 0.
        Assert.Contains(" io_exits ", text);
        deltas.TryAdd("io_exits", 0);
        return (Made("upio"), Made("ummio"), Made("ev_kpio"), deltas);
    }

    [Fact]
    public void A_statistic_that_never_moves_on_the_nested_host_is_not_counted_not_a_mismatch()
    {
        var run = NestedPvmRun();
        Assert.Equal(20_000UL, run.Deltas["mmio_exits"]);
        var checks = ValidationRunner.CounterChecks(run.UserspacePio + run.IoEventFdPio, run.UserspaceMmio, run.Deltas);

        var io = Assert.Single(checks, c => c.Counter == "io_exits");
        Assert.Equal(CountVerdict.NotCounted, io.Verdict);
        Assert.Equal(40_000UL, io.Expected);
        Assert.Contains("not counted by this kernel", io.Describe());
        Assert.Equal(CountVerdict.Ok, Assert.Single(checks, c => c.Counter == "mmio_exits").Verdict);
    }

    [Fact]
    public void A_counter_that_moves_by_the_wrong_amount_still_fails()
    {
        var run = NestedPvmRun();
        run.Deltas["io_exits"] = 30_000;        // moved, but by 10,000 too few
        run.Deltas["mmio_exits"] = 19_000;
        var checks = ValidationRunner.CounterChecks(run.UserspacePio + run.IoEventFdPio, run.UserspaceMmio, run.Deltas);
        Assert.All(checks, c => Assert.Equal(CountVerdict.Mismatch, c.Verdict));
    }

    [Fact]
    public void An_eventfd_that_never_fires_is_a_mismatch_it_is_the_evidence_itself()
    {
        Assert.Equal(CountVerdict.Mismatch, new StatsCheck("ioeventfd_pio_signals", 20_000, 0, CountSource.EventFd).Verdict);
        Assert.Equal(CountVerdict.NotCounted, new StatsCheck("io_exits", 20_000, 0).Verdict);
        Assert.Equal(CountVerdict.Ok, new StatsCheck("io_exits", 0, 0).Verdict);
    }

    [Fact]
    public void The_validation_table_notes_an_uncounted_statistic_and_warns_of_none()
    {
        var w = ValidationSuite.Default[0];
        var outcome = new ValidationOutcome(w, 100, 20, 2, 10_000, 1, [], [new StatsCheck("io_exits", 42, 0)], 10_100, 10, "");
        var report = new ValidationReport("p.yaml", false, false, [outcome]);
        string text = ValidationTableFormatter.Format(report);
        Assert.Contains("note: io_exits is not counted by this kernel", text);
        Assert.DoesNotContain("warning:", text);
    }
}
