using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Plots;

/// <summary>
/// One short run of the database scenario shared by the chart tests (simulating it once keeps the
/// suite fast), and the vCPU 0 timeline of its first 300 µs after warm-up.
/// </summary>
public sealed class SampleRun
{
    public RunReport Report { get; }
    public VcpuTimeline Timeline { get; }

    public SampleRun()
    {
        var scenario = ScenarioLoader.LoadFile(Repo.Path("scenarios", "seed-article", "database.yaml"));
        var run = ExperimentRunner.Run(scenario, new RunOptions { DurationNs = 200e6, Replications = 3 });
        Report = ReportBuilder.Build(run);
        var recorder = new VcpuTimelineRecorder(run.Model, 0, run.Model.WarmupNs, run.Model.WarmupNs + 300e3);
        new Replication(run.Model, run.Scenario.Run.Seed, 0, recorder).Run();
        Timeline = recorder.Timeline();
    }
}

/// <summary>
/// Chart tests share one <see cref="SampleRun"/> and run one after another: ScottPlot's font
/// registry is process-wide, and two renders at once would only compete for the two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PlotCollection : ICollectionFixture<SampleRun>
{
    public const string Name = "plots";
}
