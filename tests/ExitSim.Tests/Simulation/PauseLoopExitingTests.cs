using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Simulation;

/// <summary>
/// Pause-loop exiting: only the guest kernel's spin-waits that outlast the vCPU's PLE window exit; each exit doubles
/// the window (grow_ple_window), and only a sched-in resets it (shrink_ple_window, ple_window_shrink = 0).
/// </summary>
public class PauseLoopExitingTests
{
    // 2 GHz: Intel's window of 4096 cycles is 2048 ns; AMD's pause filter of 3000 PAUSEs × 65 cycles is 97.5 us.
    private static string Spinning(string wait, string vendor = "intel", int cores = 8, int vcpus = 2, string rate = "20k/s", string extra = "") => $$"""
        name: spin
        host: { vendor: {{vendor}}, ghz: 2.0, cores: {{cores}} }
        costs: { save: const(300cyc), handle: const(2000cyc), reenter: const(300cyc) }
        vm: { vcpus: {{vcpus}}, kernel_spin: { rate: {{rate}}, wait: "{{wait}}" } }
        exits:
          {{(vendor == "intel" ? "MSR_WRITE" : "msr")}}: { rate: 1k/s }
          {{(vendor == "intel" ? "PAUSE_INSTRUCTION" : "pause")}}: {}{{extra}}
        run: { duration: 200ms, warmup: 0s, replications: 2, seed: 11 }
        """;

    private static long PauseExits(string yaml, string reason = "PAUSE_INSTRUCTION") =>
        Run.Report(yaml).Reasons.Single(r => r.Name == reason).Samples;

    [Fact]
    public void Spins_shorter_than_the_window_never_exit()
    {
        // 1 us = 2000 cycles < 4096: 4,000 spin-waits per vCPU and replication, none long enough for PLE.
        Assert.Equal(0, PauseExits(Spinning("const(1us)")));
    }

    [Fact]
    public void A_spin_that_outlasts_the_window_exits_once_and_the_grown_window_then_covers_every_such_spin()
    {
        // 3 us = 6000 cycles: the first spin exits after 4096 cycles, the window becomes 8192 and covers every later one.
        Assert.Equal(2 * 2, PauseExits(Spinning("const(3us)")));   // one per vCPU and replication, of ~4,000 spins each
    }

    [Fact]
    public void A_long_spin_exits_at_each_doubled_window_until_the_window_outgrows_it()
    {
        // 20 us = 40000 cycles. First spin: exits after 4096, 8192 and 16384 cycles (28672 in all, window now 32768);
        // the second exits after 32768 (window 65536); none after that: four exits per vCPU.
        Assert.Equal(4 * 2 * 2, PauseExits(Spinning("const(20us)")));
    }

    [Fact]
    public void Under_contention_every_sched_in_resets_the_window()
    {
        // Four vCPUs on two cores: each is descheduled every other 3 ms quantum, and its first spin after each sched-in exits again.
        long undercommitted = PauseExits(Spinning("const(3us)", vcpus: 4, cores: 8));
        long contended = PauseExits(Spinning("const(3us)", vcpus: 4, cores: 2));
        Assert.Equal(4 * 2, undercommitted);
        // 200 ms / 6 ms ≈ 33 sched-ins per vCPU and replication.
        Assert.InRange(contended, 4 * 2 * 25, 4 * 2 * 40);
    }

    [Fact]
    public void A_vcpu_that_blocks_in_a_halt_comes_back_with_the_window_reset()
    {
        string Idle(string poll) => Workload.WorkloadYaml.Make(haltPoll: poll, think: "exp(1ms)", duration: "200ms")
            .Replace("vm: {", "vm: { kernel_spin: { rate: 20k/s, wait: \"const(3us)\" },")
            .Replace("  MSR_WRITE: { rate: 1k/s }", "  MSR_WRITE: { rate: 1k/s }\n  PAUSE_INSTRUCTION: {}");
        var blocking = Run.Report(Idle("0ns"));
        long pause = blocking.Reasons.Single(r => r.Name == "PAUSE_INSTRUCTION").Samples;
        long halts = blocking.Reasons.Single(r => r.Name == "HLT").Samples;
        // Without resets there would be one exit per vCPU (4 × 2 replications); with them, up to one per blocked halt.
        Assert.InRange(pause, 100, halts);
        // Polling catches some wake-ups without scheduling out: fewer resets, fewer exits.
        long polling = Run.Report(Idle("200us")).Reasons.Single(r => r.Name == "PAUSE_INSTRUCTION").Samples;
        Assert.True(polling < 0.8 * pause, $"PAUSE exits with polling {polling}, blocking {pause}");
    }

    [Fact]
    public void Amd_pause_filter_counts_3000_pauses_and_grows_the_same_way()
    {
        Assert.Equal(0, PauseExits(Spinning("const(50us)", vendor: "amd", rate: "1k/s"), "pause"));   // 50 us < 97.5 us
        // 200 us: exits after 97.5 us (filter 6000 PAUSEs = 195 us); the second spin exits once more (390 us); then none.
        Assert.Equal(2 * 2 * 2, PauseExits(Spinning("const(200us)", vendor: "amd", rate: "1k/s"), "pause"));
    }

    [Fact]
    public void Same_seed_gives_the_same_exits_whatever_the_thread_count()
    {
        string yaml = Spinning("lognormal(mean=3us, cv=1.5)", vcpus: 4, cores: 2);
        var one = Run.Report(yaml, new RunOptions { Threads = 1 });
        var two = Run.Report(yaml, new RunOptions { Threads = 2 });
        Assert.Equal(one.Reasons.Select(r => (r.Name, r.Samples, r.AvgNs)), two.Reasons.Select(r => (r.Name, r.Samples, r.AvgNs)));
    }

    [Theory]
    [InlineData("vm: { vcpus: 2, kernel_spin: { rate: 0/s, wait: const(1us) } }", "'rate' must be greater than zero")]
    [InlineData("vm: { vcpus: 2, kernel_spin: { rate: 1k/s } }", "wait")]
    [InlineData("vm: { vcpus: 2, kernel_spin: { rate: 1M/s, wait: const(1us) } }", "at most 50%")]
    [InlineData("vm: { vcpus: 2, kernel_spin: { rate: 1k/s, wait: const(1us), spin: 2 } }", "unknown key 'spin'")]
    public void Mistakes_get_one_located_line(string vm, string message)
    {
        string yaml = Spinning("const(1us)").Replace(Spinning("const(1us)").Split('\n')[3], vm);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "s.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Equal(4, e.Line);
        Assert.DoesNotContain("\n", e.Located);
    }

    [Fact]
    public void A_measured_pause_rate_and_kernel_spins_together_are_refused_where_the_rate_is()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Spinning("const(1us)").Replace("PAUSE_INSTRUCTION: {}", "PAUSE_INSTRUCTION: { rate: 5k/s }"), "s.yaml"));
        Assert.Contains("keep one", e.Message);
        Assert.Equal((7, 30), (e.Line, e.Column));   // at the rate
        // Alone, a measured rate (what calibrate writes) is still a plain rate.
        var measured = ScenarioLoader.Parse(Spinning("const(1us)").Replace("PAUSE_INSTRUCTION: {}", "PAUSE_INSTRUCTION: { rate: 5k/s }").Replace(", kernel_spin: { rate: 20k/s, wait: \"const(1us)\" }", ""), "s.yaml");
        Assert.Null(measured.Vm.KernelSpin);
        Assert.Equal(5000, measured.Exits.Single(x => x.Reason == "PAUSE_INSTRUCTION").Occurrence!.Rate);
    }

    [Fact]
    public void The_writer_writes_kernel_spins_back()
    {
        var s = ScenarioLoader.Parse(Spinning("lognormal(mean=3us, cv=1.5)"), "s.yaml");
        var again = ScenarioLoader.Parse(ScenarioWriter.Write(s), "again.yaml");
        Assert.Equal(s.Vm.KernelSpin!.Rate, again.Vm.KernelSpin!.Rate);
        Assert.Equal(s.Vm.KernelSpin.Wait!.Format(), again.Vm.KernelSpin.Wait!.Format());
    }
}
