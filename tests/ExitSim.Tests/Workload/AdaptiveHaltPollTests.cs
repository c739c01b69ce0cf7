using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Simulation.Idle;

namespace ExitSim.Tests.Workload;

/// <summary>KVM's adaptive halt polling (virt/kvm/kvm_main.c kvm_vcpu_halt) and its statistics (KVM_GET_STATS_FD).</summary>
public class AdaptiveHaltPollTests
{
    private static readonly HaltPollWindow Kvm = new(200_000);

    private static RunResult Run(string yaml) => ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml"));

    private static HaltPollStats Stats(RunResult r) => HaltPollStats.Sum(r.Replications.Select(x => x.Workload!.HaltPoll));

    /// <summary>One vCPU, one client, a constant gap between a reply and the next request, counted from the start.</summary>
    private static string Steady(string think, bool adaptive = true) =>
        WorkloadYaml.Make(clients: 1, vcpus: 1, think: think, compute: "const(20us)", diskIo: 0, rx: 0, tx: 0, haltPoll: "200us")
            .Replace("halt_poll: 200us", $"halt_poll: 200us, halt_poll_adaptive: {(adaptive ? "true" : "false")}")
            .Replace("warmup: 50ms", "warmup: 0ns").Replace("MSR_WRITE: { rate: 1k/s }", "MSR_WRITE: {}");

    [Fact]
    public void The_window_grows_from_0_to_grow_start_then_doubles_up_to_the_maximum()
    {
        double w = 0;
        var seen = new List<double>();
        for (int i = 0; i < 7; i++) { w = Kvm.After(w, 190_000); seen.Add(w); }   // short halts the window missed
        Assert.Equal([10_000, 20_000, 40_000, 80_000, 160_000, 200_000, 200_000], seen);
        Assert.Equal(40_000, Kvm.After(40_000, 30_000));   // caught within the window: kept
        Assert.Equal(40_000, Kvm.After(40_000, 40_000));
    }

    [Fact]
    public void A_halt_longer_than_the_maximum_shrinks_the_window()
    {
        Assert.Equal(100_000, Kvm.After(200_000, 1e6));   // halt_poll_ns_shrink 2
        Assert.Equal(5_000, Kvm.After(10_000, 300_000));
        Assert.Equal(0, Kvm.After(0, 1e6));               // nothing to shrink, and a long idle does not grow it
        Assert.Equal(0, new HaltPollWindow(200_000, Shrink: 0).After(160_000, 1e6));   // shrink 0 resets (older kernels)
        Assert.Equal(0, new HaltPollWindow(0).After(0, 5_000));   // halt_poll_ns 0: no polling
    }

    [Fact]
    public void A_vcpu_starts_without_a_window_and_polling_catches_a_steady_stream_of_short_gaps()
    {
        // ~50 µs idle gaps: the first halts block (window 0, 10, 20, 40 µs) while the window grows; from 80 µs on every
        // wake is caught. A fixed window catches them all from the first.
        var adaptive = Stats(Run(Steady("const(50us)")));
        var fixedWindow = Stats(Run(Steady("const(50us)", adaptive: false)));
        Assert.Equal(0, fixedWindow.HaltWakeup);
        Assert.Equal(2 * 4, adaptive.HaltWakeup);   // 4 per replication
        Assert.Equal(2 * 3, adaptive.HaltAttemptedPoll - adaptive.HaltSuccessfulPoll);   // the first halt does not poll
        Assert.Equal(2 * (10_000 + 20_000 + 40_000), adaptive.HaltPollFailNs, 1e-3);
        Assert.True(adaptive.HaltSuccessfulPoll > 1000, $"{adaptive.HaltSuccessfulPoll} successful polls");
        Assert.True(adaptive.HaltSuccessfulPoll > 0.99 * adaptive.HaltAttemptedPoll);
    }

    [Fact]
    public void Long_idle_periods_leave_the_window_near_0_where_a_fixed_one_burns_the_maximum()
    {
        var adaptive = Run(Steady("const(2ms)"));
        var fixedWindow = Run(Steady("const(2ms)", adaptive: false));
        double Poll(RunResult r) => r.Replications.Sum(x => x.Time.Poll);
        var f = Stats(fixedWindow);
        Assert.Equal(f.HaltAttemptedPoll, f.HaltWakeup);   // every fixed poll failed
        Assert.True(Poll(fixedWindow) > 0.9 * f.HaltWakeup * 200_000, $"fixed: {Poll(fixedWindow)} ns polled");
        Assert.True(Poll(adaptive) < Poll(fixedWindow) / 20, $"adaptive polled {Poll(adaptive)} ns, fixed {Poll(fixedWindow)} ns");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_statistics_add_up(bool adaptive)
    {
        var run = Run(WorkloadYaml.Make(clients: 8, think: "exp(300us)", haltPoll: "200us")
            .Replace("halt_poll: 200us", $"halt_poll: 200us, halt_poll_adaptive: {(adaptive ? "true" : "false")}"));
        var s = Stats(run);
        long wakes = run.Replications.Sum(x => x.Workload!.Wakes), polled = run.Replications.Sum(x => x.Workload!.PolledWakes);
        Assert.True(s.HaltAttemptedPoll > 1000);
        // Every wake of a blocked vCPU is one the polling missed; every failed poll ends in a block.
        Assert.Equal(wakes - polled, s.HaltWakeup);
        long failed = s.HaltAttemptedPoll - s.HaltSuccessfulPoll;
        if (adaptive) Assert.InRange(failed, 1, s.HaltWakeup);
        else Assert.Equal(s.HaltWakeup, failed);
        Assert.Equal(0, s.HaltPollInvalid);
        Assert.InRange(s.HaltPollFailNs, 0, failed * 200_000 + 1e-3);
        // Poll time counted per halt equals the vCPUs' polling time (up to the halts cut by the window's edges).
        double poll = run.Replications.Sum(x => x.Time.Poll);
        Assert.InRange(s.HaltPollSuccessNs + s.HaltPollFailNs, 0.98 * poll, 1.02 * poll);
        Assert.True(s.HaltWaitNs > 0);
    }
}
