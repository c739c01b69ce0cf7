using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Simulation;

/// <summary>
/// One reason on two paths: IO_INSTRUCTION to an ioeventfd in the kernel at one rate and to QEMU at
/// another, each with its own costs — simulated, reported as mixed, and exported as a real trace shows it.
/// </summary>
public sealed class ReasonPathsSimulationTests
{
    private const string Yaml = """
        name: two-paths
        host: { vendor: intel, ghz: 2.0, cores: 4 }
        costs: { save: const(100ns), handle: const(1us), reenter: const(100ns) }
        vm: { vcpus: 1 }
        exits:
          IO_INSTRUCTION:
            paths:
              kernel: { rate: 10k/s, handle: const(500ns) }
              userspace: { rate: 30k/s, handle: const(2us), emulate: const(3us) }
        run: { duration: 200ms, warmup: 10ms, replications: 4, seed: 5 }
        """;

    [Fact]
    public void Each_path_exits_at_its_own_rate_with_its_own_costs()
    {
        var run = ExperimentRunner.Run(ScenarioLoader.Parse(Yaml, "p.yaml"));
        var report = ReportBuilder.Build(run);
        var io = Assert.Single(report.Reasons, r => r.Samples > 0);
        Assert.Equal("mixed", io.Path);
        var acc = run.Replications.Select(r => r.Reasons[0]).ToArray();
        long count = acc.Sum(a => a.Count), userspace = acc.Sum(a => a.Userspace);
        // Rates are per guest second: 40k/s of guest time, three quarters of them to QEMU.
        Assert.Equal(0.75, (double)userspace / count, 0.02);
        // Closed form, one vCPU, no queueing: kernel exits cost 0.7 us, userspace ones 5.2 us.
        double meanLatency = 0.25 * 700 + 0.75 * 5_200;
        Assert.Equal(meanLatency, io.AvgNs, meanLatency * 0.02);
        double guestFraction = 1 / (1 + 40_000 * meanLatency / 1e9);
        Assert.Equal(guestFraction, report.GuestTimeFraction, 0.01);
    }

    [Fact]
    public void The_trace_shows_kernel_handled_writes_without_a_userspace_exit()
    {
        var scenario = ScenarioLoader.Parse(Yaml.Replace("duration: 200ms", "duration: 5ms"), "p.yaml");
        var model = ModelBuilder.Build(scenario);
        var recorder = new ExitRecorder();
        new Replication(model, 1, 0, recorder).Run();
        var w = new StringWriter();
        FtraceWriter.Write(w, model, recorder.Exits, scenario.Name, 1);
        var lines = w.ToString().Split('\n');
        int exits = lines.Count(l => l.Contains("kvm_exit:")), pio = lines.Count(l => l.Contains("kvm_pio:"));
        int userspace = lines.Count(l => l.Contains("kvm_userspace_exit: reason KVM_EXIT_IO"));
        int kernelWrites = lines.Count(l => l.Contains("kvm_pio: pio_write at 0xc050"));
        Assert.Equal(exits, pio);                 // every port exit traces its access
        Assert.Equal(exits - kernelWrites, userspace);  // only the QEMU ones go to userspace
        Assert.InRange((double)kernelWrites / exits, 0.15, 0.35);
    }
}
