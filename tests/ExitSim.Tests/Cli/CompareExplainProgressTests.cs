using ExitSim.Comparison;
using ExitSim.Explain;
using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Cli;

/// <summary>
/// <c>compare</c> and <c>explain</c> drive a progress bar with an ETA on a terminal, as <c>run</c>, <c>sweep</c> and
/// <c>reproduce</c> do: their runners advance a <see cref="StepProgress"/> through every arm they simulate, and on a
/// redirected standard error nothing is drawn.
/// </summary>
public class CompareExplainProgressTests
{
    private static readonly RunOptions Short = new() { DurationNs = 5e6, Replications = 2 };

    private static Scenario Web() => ScenarioLoader.LoadFile(Repo.Path("scenarios", "web.yaml"));

    [Fact]
    public void Compare_advances_through_both_arms_and_ends_at_one()
    {
        var before = Web();
        var after = OptimisationCatalog.Apply(before, before.Optimisations);
        var steps = new StepProgress();
        Assert.Equal(0, steps.Fraction);
        ComparisonRunner.Run(before, after, "optimised", Short, progress: steps);
        Assert.Equal(2, steps.Started);
        Assert.True(steps.Fraction > 0.99, $"ended at {steps.Fraction}");
        Assert.Equal("after (2/2)", steps.Label);
    }

    [Fact]
    public void Explain_plans_the_scenario_and_every_candidate_and_ends_at_one()
    {
        var steps = new StepProgress();
        var e = ExplainRunner.Run(Web(), new ExplainOptions { DurationNs = 5e6, Replications = 2 }, default, steps);
        // The scenario itself, then each optimisation simulated against it (those without effect are simulated too).
        int simulated = e.Ranking.Length + e.Skipped.Count(s => s.Kind == SkipKind.NoEffect);
        Assert.True(e.Ranking.Length > 0);
        Assert.Equal(1 + simulated, steps.Started);
        Assert.True(steps.Fraction > 0.99, $"ended at {steps.Fraction}");
    }

    [Fact]
    public void Half_way_through_an_arm_the_fraction_is_half_of_its_step()
    {
        var steps = new StepProgress([("before", 1), ("after", 3)]);
        steps.Next(2).Report(0, 1);
        Assert.Equal(0.125, steps.Fraction, 9);   // one of before's two replications: 1/2 of 1/4
        var after = steps.Next(1);
        after.Report(0, 0.5);
        Assert.Equal(0.25 + 0.5 * 0.75, steps.Fraction, 9);
        Assert.Equal("after (2/2)", steps.Label);
    }

    [Theory]
    [InlineData("compare")]
    [InlineData("explain")]
    public void On_a_redirected_stderr_nothing_is_drawn(string command)
    {
        string dir = Directory.CreateTempSubdirectory("exitsim-progress-").FullName;
        try
        {
            var r = ExitsimProcess.Run(dir, 1L << 30, TimeSpan.FromMinutes(2),
                command, Repo.Path("scenarios", "web.yaml"), "--duration", "5ms", "--replications", "2");
            Assert.True(r.ExitCode == 0, r.Error);
            Assert.Equal("", r.Error);
            Assert.DoesNotContain('\r', r.Out);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
