using ExitSim.Evidence;
using ExitSim.Running;

namespace ExitSim.Tests.Evidence;

public class EvidenceRunnerTests
{
    private static EvidenceCase Load(string text) => EvidenceCaseLoader.Parse(text, "case.yaml");

    [Fact]
    public void The_same_simulated_figure_passes_a_band_around_it_and_fails_one_beside_it()
    {
        // 300 + 500 + 300 cycles per exit: inside 1000-1200, outside 1150-1300. Both cannot pass.
        var inside = EvidenceRunner.RunCase(Load(EvidenceCaseLoaderTests.Case(band: "low: 1000\n  high: 1200")));
        var beside = EvidenceRunner.RunCase(Load(EvidenceCaseLoaderTests.Case(band: "low: 1150\n  high: 1300")));
        Assert.Equal(1100, inside.Simulated!.Value, 6);
        Assert.Equal(inside.Simulated, beside.Simulated);
        Assert.True(inside.Pass);
        Assert.False(beside.Pass);
        Assert.Equal(3, inside.Replications);
    }

    [Fact]
    public void A_ratio_is_paired_replication_by_replication_and_checked_against_its_closed_form()
    {
        string text = EvidenceCaseLoaderTests.Case(band: "low: 1.4\n  high: 1.5")
            .Replace("unit: cyc", "unit: x")
            .Replace("  kind: value\n", "  kind: ratio\n  before: loop\n")
            .Replace("  in: cyc\n", "")
            .Replace("  arm: loop", "  after: slow\n  identity: 1.454545454545");
        var r = EvidenceRunner.RunCase(Load(text));
        Assert.Equal((300 + 1000 + 300) / 1100.0, r.Simulated!.Value, 9);
        Assert.True(r.Pass, r.Note);
        Assert.StartsWith("identity holds", r.Note);

        var wrong = EvidenceRunner.RunCase(Load(text.Replace("identity: 1.454545454545", "identity: 1.46")));
        Assert.False(wrong.Pass);   // inside the band, but the closed form does not hold
        Assert.StartsWith("the identity does not hold", wrong.Note);
    }

    [Theory]
    [InlineData(1100, 0.0, true)]
    [InlineData(1100, 150.0, false)]   // the mean is inside, the interval reaches out: not shown
    [InlineData(1250, 0.0, false)]
    public void The_verdict_needs_the_whole_interval_inside_the_band(double mean, double ci, bool pass) =>
        Assert.Equal(pass, EvidenceRunner.Verdict(mean, ci, new ToleranceBand(1000, 1200, "")));

    [Fact]
    public void An_unknown_interval_never_passes() => Assert.False(EvidenceRunner.Verdict(1100, null, new ToleranceBand(1000, 1200, "")));

    [Fact]
    public void Not_expressible_cases_are_listed_without_a_verdict_PC_12_passes_and_PC_14_misses()
    {
        var board = EvidenceRunner.Run(EvidenceCaseLoader.LoadFolder(Repo.Path("validation", "published")), new RunOptions { Threads = 2 });
        foreach (var c in board.Cases.Where(c => c.Status == CaseStatus.NotExpressible))
        {
            Assert.Null(c.Pass);
            Assert.Null(c.Simulated);
        }
        // Nested (host.nested): a userspace PIO as L2 over an in-kernel one, 34,500 / 14,900 cycles (docs/kvm-facts.md §3.8:
        // 10 user-return MSR exits and 2019's four vcpu_put/vcpu_load exits in L1's QEMU round trip), below the published
        // 3.07 ±15 %: the L1 QEMU round trip is still under-modelled, and the scoreboard says so.
        var nested = board.Cases.Single(c => c.Id == "PC-14");
        Assert.Equal(CaseStatus.Expressible, nested.Status);
        Assert.Equal(34500.0 / 14900, nested.Simulated!.Value, 6);
        Assert.False(nested.Pass);
        Assert.Contains("PC-14", EvidenceTextFormatter.Format(board));
        Assert.Contains("| PC-14 | nested virtualisation |", EvidenceMarkdownFormatter.Format(board));
        var cpuid = board.Cases.Single(c => c.Id == "PC-12");
        Assert.True(cpuid.Pass, cpuid.Note);
        Assert.Equal(1100, cpuid.Simulated!.Value, 6);   // 300 + 500 + 300 cycles: the shared Intel set's phases
        Assert.Equal(7, board.Cases.Count);
    }

    [Fact]
    public void The_scoreboard_does_not_depend_on_the_thread_count()
    {
        var cases = EvidenceCaseLoader.LoadFolder(Repo.Path("validation", "published"));
        string one = EvidenceMarkdownFormatter.Format(EvidenceRunner.Run(cases, new RunOptions { Threads = 1 }));
        string two = EvidenceMarkdownFormatter.Format(EvidenceRunner.Run(cases, new RunOptions { Threads = 2 }));
        Assert.Equal(one, two);
    }
}
