using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Simulation;

/// <summary>Shortcuts for running scenarios in tests.</summary>
public static class Run
{
    public static RunResult Yaml(string yaml, RunOptions? options = null) =>
        ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml"), options);

    public static RunReport Report(string yaml, RunOptions? options = null) => ReportBuilder.Build(Yaml(yaml, options));

    public static RunReport File(string path, RunOptions? options = null) =>
        ReportBuilder.Build(ExperimentRunner.Run(ScenarioLoader.LoadFile(path), options));
}
