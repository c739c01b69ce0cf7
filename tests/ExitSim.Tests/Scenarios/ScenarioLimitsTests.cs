using ExitSim.Distributions;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Scenarios;

/// <summary>The limits of <see cref="ScenarioLimits"/>: where each refusal points, and that the work estimate is honest.</summary>
public class ScenarioLimitsTests
{
    [Theory]
    [InlineData("database.yaml")]
    [InlineData("web.yaml")]
    [InlineData("classroom/04-io-devices.yaml")]
    [InlineData("classroom/06-memory.yaml")]
    [InlineData("capacity-hosts.yaml")]
    public void The_event_estimate_is_at_least_what_a_run_simulates_and_not_far_above(string file)
    {
        var s = ScenarioLoader.LoadFile(Repo.Path("scenarios", file));
        var result = new Replication(ModelBuilder.Build(s), s.Run.Seed, 0).Run();
        double estimate = WorkEstimate.Events(s) / s.Run.Replications;
        Assert.InRange(estimate / result.Events, 0.8, 5);
    }

    [Fact]
    public void Every_shipped_scenario_is_far_within_the_event_budget()
    {
        foreach (var f in Repo.ShippedScenarios())
            Assert.True(WorkEstimate.Events(ScenarioLoader.LoadFile(f)) < ScenarioLimits.MaxEvents / 20, f);
    }

    [Fact]
    public void A_run_that_overrides_its_duration_past_the_budget_is_refused_with_the_estimate_and_the_limit()
    {
        var s = ScenarioLoader.Parse(ScenarioText.Minimal, "s.yaml");
        var e = Assert.Throws<ScenarioException>(() => ExperimentRunner.Run(s, new RunOptions { DurationNs = 20 * 3600e9 }));
        Assert.StartsWith("s.yaml:1:1: this run would simulate about 4.0e10 events (1.9e5 a second over 1 VM × 2 vCPUs, for 20h × 3 replications)", e.Located);
        Assert.Contains("over the limit of 2e9", e.Message);
        // The same scenario as written is fine, and so is a longer run within the budget.
        WorkEstimate.Check(s);
        WorkEstimate.Check(ExperimentRunner.Apply(s, new RunOptions { DurationNs = 60e9 }));
    }

    [Fact]
    public void The_budget_refusal_in_a_scenario_points_at_its_run_section()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(ScenarioText.With("duration: 50ms", "duration: 20h"), "s.yaml"));
        Assert.Equal((19, 1), (e.Line, e.Column));
        Assert.Contains("this run would simulate about", e.Message);
    }

    [Theory]
    [InlineData("lognormal(mean=2us, cv=101)", "cv 101 is too large (at most 100", 20)]
    [InlineData("lognormal(mean=2us, sd=1s)", "sd is 500000 times the mean", 20)]
    [InlineData("gamma(shape=1e7, mean=1us)", "gamma shape 1e7 is out of range (from 0.0001 to 1000000", 6)]
    [InlineData("gamma(shape=1e6, scale=1h)", "gamma's mean (shape × scale) is 3600000000s (a time is at most 24h", 17)]
    [InlineData("weibull(shape=0.01, scale=1us)", "weibull shape 0.01 is out of range", 8)]
    [InlineData("weibull(shape=0.1, scale=1h)", "weibull's mean (scale × Γ(1 + 1/shape)) is", 19)]
    [InlineData("exp(rate=2G/s)", "'2G/s' is too high (a rate is at most 1G/s", 4)]
    [InlineData("const(1e20cyc)", "'1e20cyc' is too long (a time is at most 24h, or 1e12cyc)", 6)]
    [InlineData("mix(1: mix(1: mix(1: mix(1: mix(1: mix(1: mix(1: mix(1: mix(1: 1us)))))))))", "mix(…) nested more than 8 deep", 56)]
    public void Distribution_parameters_beyond_what_can_be_sampled_are_refused_where_they_are(string text, string message, int offset)
    {
        var e = Assert.Throws<DistributionSyntaxException>(() => DistributionParser.Parse(text));
        Assert.Contains(message, e.Message);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void Validate_of_a_folder_checks_every_scenario_under_it_one_line_each()
    {
        var r = CliRunner.Run("validate", Repo.Path("scenarios"));
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Repo.ShippedScenarios().Count(), lines.Length);
        Assert.All(lines, l => Assert.Contains(": ok (", l));
    }
}
