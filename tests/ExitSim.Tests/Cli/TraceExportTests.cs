using ExitSim.Tests.Plots;

namespace ExitSim.Tests.Cli;

public class TraceExportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> WorkloadScenarios() => new(
        Repo.ShippedScenarios().Where(p => File.ReadAllText(p).Contains("\nworkload:")).Select(p => Path.GetRelativePath(Repo.Root, p)));

    [Theory]
    [MemberData(nameof(WorkloadScenarios))]
    public void A_perf_kvm_stat_export_of_a_workload_scenario_is_the_perf_table(string scenario)
    {
        string trace = _dir.File(Path.GetFileNameWithoutExtension(scenario) + ".txt");
        var r = CliRunner.Run("run", Repo.Path(scenario), "--duration", "10ms", "-r", "1", "--export-trace", trace, "--trace-format", "perf-kvm-stat");
        Assert.True(r.ExitCode == 0, r.Error);
        string text = File.ReadAllText(trace);
        Assert.StartsWith("Analyze events for all VMs, all VCPUs:", text.TrimStart());
        Assert.Contains("Total Samples:", text);
    }
}
