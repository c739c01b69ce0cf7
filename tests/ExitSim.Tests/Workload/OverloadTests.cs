using ExitSim.Tests.Cli;
using ExitSim.Tests.Simulation;

namespace ExitSim.Tests.Workload;

/// <summary>
/// An open workload far beyond what its VM serves: the VM holds a bounded number of operations, later
/// arrivals wait outside and still count (latency from their arrival, in flight at the end), and the run
/// ends in bounded memory however long it is, reported as overloaded.
/// </summary>
public class OverloadTests
{
    [Fact]
    public void Every_arrival_is_finished_or_in_flight_at_the_end_even_past_the_vms_bound()
    {
        // 2M/s for 600 ms from time 0 (no warm-up): 1.2M arrivals, more than the 2^20 operations a VM holds.
        string yaml = WorkloadYaml.Make(kind: "open", rate: "2M/s", vcpus: 1, duration: "600ms").Replace("warmup: 50ms", "warmup: 0ns");
        var run = Run.Yaml(yaml, new ExitSim.Running.RunOptions { Replications = 1 });
        var w = run.Replications[0].Workload!;
        double expected = 2e6 * 0.6, sigma = Math.Sqrt(expected);
        long arrived = w.OperationsCompleted + w.OperationsInFlightAtEnd;
        Assert.True(Math.Abs(arrived - expected) < 5 * sigma, $"{arrived} arrivals, expected {expected} ± {5 * sigma:0}");
        Assert.True(w.OperationsInFlightAtEnd > ExitSim.Simulation.Application.Operations.MaxAdmitted,
            $"{w.OperationsInFlightAtEnd} in flight: the bound was not reached, the test shows nothing");
        // The waiting arrivals' ages are in the distribution: the oldest are about the run's length.
        Assert.True(w.OperationLatency.Quantile(0.999) > 0.5e9, $"p99.9 {w.OperationLatency.Quantile(0.999)} ns");
        var report = ExitSim.Reports.ReportBuilder.Build(run);
        Assert.Contains(report.Warnings, x => x.StartsWith("overloaded: ", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_long_overloaded_run_ends_in_bounded_memory_reported_as_overloaded()
    {
        Skip.IfNot(File.Exists(Path.Combine(AppContext.BaseDirectory, "exitsim.dll")), "the exitsim binary is not next to the tests");
        // The database VM offered 1M/s for 20 s: 2e7 arrivals against ~37k/s served (it ran out of memory before).
        string dir = Directory.CreateTempSubdirectory("exitsim-overload").FullName;
        string scenario = Path.Combine(dir, "overload.yaml");
        File.WriteAllText(scenario, File.ReadAllText(Repo.Path("scenarios", "capacity-database.yaml"))
            .Replace("rate: 20k/s", "rate: 1M/s"));
        Assert.Contains("rate: 1M/s", File.ReadAllText(scenario));
        var r = ExitsimProcess.Run(dir, 384L << 20, TimeSpan.FromMinutes(5), "run", scenario, "--duration", "20s", "-r", "1", "--threads", "1");
        Assert.False(r.TimedOut, "timed out");
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Error}");
        Assert.Contains("warning: overloaded: ", r.Out);
    }
}
