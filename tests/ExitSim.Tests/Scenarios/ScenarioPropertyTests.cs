using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using FsCheck.Xunit;

namespace ExitSim.Tests.Scenarios;

[Properties(Arbitrary = [typeof(ScenarioGenerators)], MaxTest = 60)]
public class ScenarioPropertyTests
{
    [Property]
    public bool Writing_then_reading_a_scenario_is_lossless(Scenario s)
    {
        var back = ScenarioLoader.Parse(ScenarioWriter.Write(s), "roundtrip.yaml");
        return back == s;
    }

    [Property]
    public void Any_valid_scenario_runs_and_conserves_time(Scenario s)
    {
        var loaded = ScenarioLoader.Parse(ScenarioWriter.Write(s), "random.yaml"); // also validates it
        var run = ExperimentRunner.Run(loaded, new RunOptions { Threads = 1 });
        foreach (var r in run.Replications)
            foreach (var v in r.VcpuTime)
                Assert.Equal(r.WindowNs, v.Total, r.WindowNs * 1e-9);
        var report = ReportBuilder.Build(run);
        Assert.All(report.Reasons, x => Assert.True(x.Samples == 0 || (x.MinNs <= x.AvgNs * (1 + 1e-9) && x.AvgNs <= x.MaxNs * (1 + 1e-9))));
        Assert.Equal(100.0, report.Reasons.Sum(x => x.SamplesPct), report.ExitsTotal == 0 ? 100.0 : 1e-6);
    }

    [Property(MaxTest = 20)]
    public void The_same_seed_gives_identical_results_whatever_the_thread_count(Scenario s)
    {
        string Json(int threads)
        {
            var report = ReportBuilder.Build(ExperimentRunner.Run(s, new RunOptions { Threads = threads, Replications = 3 }));
            return JsonReportFormatter.Format(report with { WallSeconds = 0 });
        }
        Assert.Equal(Json(1), Json(2));
        Assert.Equal(Json(2), Json(2));
    }
}
