using System.Text.Json;
using ExitSim.Comparison;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Cli;

public class CompareCommandTests
{
    [Fact]
    public void A_scenario_against_itself_changes_nothing_at_all()
    {
        var r = CliRunner.Run("compare", Repo.Path("scenarios", "seed-article", "web.yaml"), "--set", "vm.vcpus=4", "-r", "3", "--duration", "50ms", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        foreach (var m in doc.RootElement.GetProperty("metrics").EnumerateArray())
        {
            Assert.Equal(m.GetProperty("before").GetDouble(), m.GetProperty("after").GetDouble());
            Assert.Equal(0, m.GetProperty("delta_pct").GetDouble());
            var ci = m.GetProperty("ci95_pct");   // null where "before" is 0 (no relative interval)
            if (ci.ValueKind != JsonValueKind.Null) Assert.Equal(0, ci.GetDouble());
            else Assert.Equal(0, m.GetProperty("before").GetDouble());
        }
    }

    [Fact]
    public void Common_random_numbers_make_the_paired_interval_much_narrower_than_independent_runs()
    {
        var before = ScenarioLoader.LoadFile(Repo.Path("scenarios", "classroom", "02-qemu-and-queues.yaml"));
        var after = before with { Vm = before.Vm with { QemuThreads = QemuThreadMode.PerVcpu } };
        var paired = ComparisonRunner.Run(before, after, "per-vcpu", new RunOptions { Replications = 8 });
        var lat = paired.Metrics.Single(m => m.Name == "mean_exit_latency_ns");
        Assert.True(lat.DeltaPct < 0 && lat.Ci95Pct < Math.Abs(lat.DeltaPct), "own QEMU threads remove the wait: latency must fall, beyond the CI");

        // The same comparison with independent streams (another seed for the after arm).
        var a = ExperimentRunner.Run(before, new RunOptions { Replications = 8 });
        var b = ExperimentRunner.Run(after, new RunOptions { Replications = 8, Seed = 999 });
        double Mean(ExitSim.Simulation.ReplicationResult r) => r.Reasons.Sum(x => x.LatencySum) / r.Reasons.Sum(x => x.Count);
        var independent = ExitSim.Statistics.Estimate.Of(a.Replications.Zip(b.Replications, (x, y) => Mean(y) - Mean(x)).ToArray());
        double independentPct = 100 * independent.HalfWidth95 / lat.Before;
        Assert.True(lat.Ci95Pct < independentPct, $"paired ±{lat.Ci95Pct:0.000}% should beat independent ±{independentPct:0.000}%");
    }

    [Fact]
    public void Plot_writes_the_before_after_chart()
    {
        string dir = Directory.CreateTempSubdirectory("exitsim-cmp").FullName;
        var r = CliRunner.Run("compare", Repo.Path("scenarios", "seed-article", "database.yaml"), "--set", "vm.qemu_threads=per-vcpu", "-r", "2", "--duration", "20ms", "--plot", dir);
        Assert.True(r.ExitCode == 0, r.Error);
        string svg = File.ReadAllText(Path.Combine(dir, "comparison.svg"));
        Assert.Contains("vm.qemu_threads=per-vcpu", svg);
        Assert.Contains("QEMU utilisation", svg);
        Assert.True(File.Exists(Path.Combine(dir, "comparison.png")));
    }

    [Theory]
    [InlineData(new[] { "--with", "virtio,apicvv" }, "unknown optimisation 'apicvv' (did you mean 'apicv'?")]
    [InlineData(new[] { "--with", "avic" }, "'avic' is AMD hardware but the host is vendor: intel (use apicv)")]
    [InlineData(new[] { "--set", "vm.vcpus" }, "--set 'vm.vcpus': write KEY=VALUE")]
    [InlineData(new[] { "--set", "vm.vcpus=lots" }, "vm.vcpus=lots: 'vcpus' must be a whole number")]
    public void Bad_compare_input_is_one_line_and_exit_code_2(string[] args, string message)
    {
        var r = CliRunner.Run(["compare", Repo.Path("scenarios", "seed-article", "web.yaml"), .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }
}
