using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Simulation;

public class HostContentionTests
{
    private const int P = 4;

    /// <summary>2P CPU-bound vCPUs (very rare exits) on P cores.</summary>
    private static readonly string TwoPOnP = $$"""
        name: two-p-on-p
        host: { vendor: intel, ghz: 2.0, cores: {{P}} }
        costs: { save: const(200ns), handle: const(1us), reenter: const(100ns) }
        vm: { count: 2, vcpus: {{P}} }
        exits:
          MSR_WRITE: { rate: 10/s }
        run: { duration: 600ms, warmup: 30ms, replications: 2, seed: 3 }
        """;

    [Fact]
    public void Twice_as_many_cpu_bound_vcpus_as_cores_each_get_half_the_time_and_half_steal()
    {
        // Round-robin over 2P always-runnable vCPUs gives each every other 3 ms quantum: 1/2 guest, 1/2 steal.
        var run = Run.Yaml(TwoPOnP);
        foreach (var r in run.Replications)
        {
            Assert.Equal(2 * P, r.VcpuTime.Length);
            foreach (var v in r.VcpuTime)
            {
                Assert.Equal(0.5, v.Guest / r.WindowNs, 0.01);
                Assert.Equal(0.5, v.Steal / r.WindowNs, 0.01);
                Assert.Equal(r.WindowNs, v.Total, r.WindowNs * 1e-9);
            }
            Assert.True(r.Host.Contended);
            Assert.Equal(1.0, r.Host.Guest / r.Host.Capacity, 0.01);   // the cores never idle
        }
        var host = ReportBuilder.Build(run).Host!;
        Assert.Equal(50, host.MeanStealPct, 1.0);
        Assert.Equal(2 * P + 2, host.Threads);   // vCPUs + one QEMU thread per VM
    }

    [Fact]
    public void A_host_with_a_core_per_thread_schedules_nothing()
    {
        var run = Run.Yaml(TwoPOnP.Replace($"cores: {P}", $"cores: {2 * P + 2}"));
        foreach (var r in run.Replications)
        {
            Assert.False(r.Host.Contended);
            foreach (var v in r.VcpuTime) Assert.Equal(0.0, v.Steal);
        }
        Assert.Null(ReportBuilder.Build(run).Host);
    }

    [Theory]
    [InlineData("database.yaml", 2)]
    [InlineData("web.yaml", 3)]
    [InlineData("bigdata.yaml", 2)]
    public void Vcpu_time_and_host_core_time_are_conserved_under_contention(string file, int cores)
    {
        string path = Repo.Path("scenarios", file);
        string yaml = File.ReadAllText(path).Replace("cores: 28", $"cores: {cores}");
        var run = ExperimentRunner.Run(ScenarioLoader.Parse(yaml, path), new RunOptions { DurationNs = 60e6, Replications = 2 });
        foreach (var r in run.Replications)
        {
            Assert.True(r.Host.Contended);
            foreach (var v in r.VcpuTime)
            {
                Assert.Equal(r.WindowNs, v.Total, r.WindowNs * 1e-9);
                Assert.True(v.Guest >= 0 && v.Steal >= 0 && v.Poll >= 0 && v.Idle >= 0);
            }
            Assert.True(r.Time.Steal > 0, "more threads than cores: some wait");
            var h = r.Host;
            Assert.Equal(cores * r.WindowNs, h.Guest + h.ExitHandling + h.HostThreads + h.Poll + h.Idle, r.WindowNs * 1e-9);
            // Exits and queued host work finish when their thread is descheduled: a small overrun at most.
            Assert.True(h.Idle >= -0.01 * h.Capacity, $"idle {h.Idle / h.Capacity:P2} of the cores");
        }
    }

    [Fact]
    public void Results_do_not_depend_on_the_number_of_threads()
    {
        string yaml = File.ReadAllText(Repo.Path("scenarios", "seed-article", "database.yaml")).Replace("cores: 28", "cores: 2");
        string Report(int threads) => MarkdownReportFormatter.Format(ReportBuilder.Build(
            ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "db.yaml"), new RunOptions { DurationNs = 40e6, Replications = 3, Threads = threads })));
        string one = Report(1);
        Assert.Contains("vCPU steal", one);
        Assert.Equal(one, Report(2));
    }

    [Fact]
    public void The_timeslice_is_read_and_written()
    {
        var s = ScenarioLoader.Parse(TwoPOnP.Replace($"cores: {P} }}", $"cores: {P}, timeslice: 1ms }}"), "t.yaml");
        Assert.Equal(1e6, s.Host.TimesliceNs);
        Assert.Equal(s, ScenarioLoader.Parse(ScenarioWriter.Write(s), "t.yaml"));
        Assert.DoesNotContain("timeslice", ScenarioWriter.Write(ScenarioLoader.Parse(TwoPOnP, "t.yaml")));
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(TwoPOnP.Replace($"cores: {P} }}", $"cores: {P}, timeslice: 0ms }}"), "t.yaml"));
        Assert.StartsWith("t.yaml:2:", e.Located);
        Assert.Contains("'timeslice' must be greater than zero", e.Message);
    }
}
