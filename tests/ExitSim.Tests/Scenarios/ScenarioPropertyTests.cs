using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using FsCheck.Fluent;
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
        Check(loaded);
        // And its "after" arm, when the plug-ins apply to it: the workload's mechanisms as they change them.
        Scenario? after = null;
        try { after = OptimisationCatalog.Apply(loaded, loaded.Optimisations); } catch (OptimisationException) { }
        if (after is not null && after != loaded) Check(after);
    }

    private static void Check(Scenario s)
    {
        var run = ExperimentRunner.Run(s, new RunOptions { Threads = 1 });
        foreach (var r in run.Replications)
        {
            foreach (var v in r.VcpuTime)
                Assert.Equal(r.WindowNs, v.Total, r.WindowNs * 1e-9);
            if (r.Workload is { } w)
            {
                Assert.True(w.OperationLatency.Total >= w.OperationsCompleted, "every finished operation has its latency");
                Assert.True(w.PolledWakes <= w.Wakes && w.PostedInterrupts <= w.Interrupts, "wakes and interrupts are counted once");
                Assert.All(w.VhostUtilisation, u => Assert.InRange(u, 0, 1 + 1e-9));
                Assert.All(w.IothreadUtilisation, u => Assert.InRange(u, 0, 1 + 1e-9));
            }
            Assert.All(r.QemuUtilisation, u => Assert.InRange(u, 0, 1 + 1e-9));
        }
        var report = ReportBuilder.Build(run);
        Assert.All(report.Reasons, x => Assert.True(x.Samples == 0 || (x.MinNs <= x.AvgNs * (1 + 1e-9) && x.AvgNs <= x.MaxNs * (1 + 1e-9))));
        Assert.Equal(100.0, report.Reasons.Sum(x => x.SamplesPct), report.ExitsTotal == 0 ? 100.0 : 1e-6);
    }

    [Fact]
    public void The_generator_covers_the_workload_layer()
    {
        // Not a property of the simulator: the properties above cover what they claim only if the generator makes it.
        var sample = ScenarioGenerators.Scenario().Sample(400);
        var devices = sample.SelectMany(x => new[] { x.Devices.Disk, x.Devices.Nic }).OfType<DeviceSpec>().ToArray();
        Assert.Contains(sample, x => x.Workload is null);
        Assert.Contains(sample, x => x.Workload is { Kind: WorkloadKind.Closed });
        Assert.Contains(sample, x => x.Workload is { Kind: WorkloadKind.Open });
        Assert.Contains(sample, x => x.Memory is { TouchBytesPerSecond: > 0 });
        Assert.Contains(sample, x => x.Optimisations.Count > 1);
        Assert.Contains(sample, x => x.Host.Cores < x.Vm.Count * x.Vm.Vcpus);
        Assert.Contains(sample, x => x.Vm.KernelSpin is { Hold: not null } && x.Vm.Vcpus > 1);
        Assert.Contains(sample, x => x.Vm.KernelSpin is { Wait: not null });
        foreach (var model in Enum.GetValues<DeviceModelKind>()) Assert.Contains(devices, d => d.Model == model);
        Assert.Contains(devices, d => d.Dataplane == Dataplane.Vhost);
        Assert.Contains(devices, d => d.Dataplane == Dataplane.Iothread);
        Assert.Contains(devices, d => d.Queues > 1);
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
