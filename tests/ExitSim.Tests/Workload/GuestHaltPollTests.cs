using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Simulation.Idle;

namespace ExitSim.Tests.Workload;

/// <summary>Guest halt polling (cpuidle-haltpoll) and HLT/PAUSE not intercepted (KVM_CAP_X86_DISABLE_EXITS).</summary>
public class GuestHaltPollTests
{
    private static readonly GuestPollWindow Guest = new(200_000);

    private static RunResult Run(string yaml) => ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml"));

    private static long Count(RunResult r, string reason) => r.Model.ReasonIndex(reason) is var i and >= 0 ? r.Replications.Sum(x => x.Reasons[i].Count) : 0;

    private static HaltPollStats Stats(RunResult r) => HaltPollStats.Sum(r.Replications.Select(x => x.Workload!.HaltPoll));

    /// <summary>One vCPU, one client, a constant gap between a reply and the next request (a local wake-up), counted from the start.</summary>
    private static string Steady(string think, string vm = "guest_halt_poll: 200us") =>
        WorkloadYaml.Make(clients: 1, vcpus: 1, think: think, compute: "const(20us)", diskIo: 0, rx: 0, tx: 0, haltPoll: "200us")
            .Replace("halt_poll: 200us", "halt_poll: 200us, " + vm).Replace("timer_hz: 250, ", "")
            .Replace("warmup: 50ms", "warmup: 0ns").Replace("MSR_WRITE: { rate: 1k/s }", "MSR_WRITE: {}").Replace("tlb_overhead: 10%", "tlb_overhead: 0%");

    /// <summary>Two vCPUs passing one message back and forth: every wake-up is a reschedule of an idle vCPU by the other.</summary>
    private static string PingPong(string vm, string features = "[ept, apicv]") => $$"""
        name: ping-pong
        host: { vendor: intel, ghz: 2.0, cores: 4, defaults: none, features: {{features}} }
        costs: { save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) }
        vm: { vcpus: 2, {{vm}} }
        workload: { kind: closed, clients: 1, ping_pong: true, op: { compute: const(15us) } }
        interrupts: { handler: const(500ns), wake: const(5us) }
        exits: { HLT: {}, MSR_WRITE: {} }
        run: { duration: 20ms, warmup: 2ms, replications: 2, seed: 3 }
        """;

    [Fact]
    public void The_guest_window_starts_at_0_grows_from_grow_start_and_halves_after_a_long_halt()
    {
        double w = 0;
        var seen = new List<double>();
        for (int i = 0; i < 4; i++) { w = Guest.After(w, 150_000); seen.Add(w); }   // HLTs the window missed
        Assert.Equal([50_000, 100_000, 200_000, 200_000], seen);
        Assert.Equal(100_000, Guest.After(100_000, 80_000));    // within the window: kept
        Assert.Equal(100_000, Guest.After(200_000, 1e6));       // longer than guest_halt_poll_ns: shrink 2
        Assert.Equal(0, Guest.After(0, 1e6));
        Assert.Equal(200_000, new GuestPollWindow(200_000, AllowShrink: false).After(200_000, 1e6));
    }

    [Fact]
    public void Guest_polling_removes_the_HLT_exits_of_gaps_shorter_than_its_window_and_not_of_longer_ones()
    {
        // ~30 µs gaps: the first idle halts (window 0), which opens the window to 50 µs, and every later gap is polled.
        var shortGaps = Run(Steady("const(30us)"));
        long ops = shortGaps.Replications.Sum(x => x.Workload!.OperationsCompleted);
        Assert.True(ops > 1000, $"{ops} operations");
        Assert.Equal(2 * 1, Count(shortGaps, "HLT"));   // one per replication
        var without = Run(Steady("const(30us)", "guest_halt_poll: 0ns"));
        long withoutOps = without.Replications.Sum(x => x.Workload!.OperationsCompleted);
        Assert.InRange(Count(without, "HLT"), withoutOps - 2, withoutOps + 2);   // without it every gap halts
        // 2 ms gaps: past the window every poll runs out and the guest executes HLT: one exit per gap, as without it.
        var longGaps = Run(Steady("const(2ms)"));
        long longOps = longGaps.Replications.Sum(x => x.Workload!.OperationsCompleted);
        Assert.InRange(Count(longGaps, "HLT"), longOps - 2, longOps + 2);
    }

    [Fact]
    public void A_polling_guest_is_woken_without_a_reschedule_IPI()
    {
        var hostPoll = Run(PingPong("halt_poll: 300us"));
        var guestPoll = Run(PingPong("halt_poll: 0ns, guest_halt_poll: 300us"));
        long ops = hostPoll.Replications.Sum(x => x.Workload!.OperationsCompleted);
        // x2APIC with APICv: the ICR write of each reschedule IPI is an MSR_WRITE exit, and the IPI an interrupt.
        Assert.InRange(Count(hostPoll, "MSR_WRITE"), ops - 4, ops + 4);
        Assert.InRange(hostPoll.Replications.Sum(x => x.Workload!.Interrupts), ops - 4, ops + 4);
        Assert.Equal(0, Count(guestPoll, "MSR_WRITE"));
        Assert.Equal(0, guestPoll.Replications.Sum(x => x.Workload!.Interrupts));
        Assert.Equal(0, Count(guestPoll, "HLT"));   // the window opened in the warm-up
        // The wake-up costs nothing once the guest polls: each message takes its compute alone.
        double mean = guestPoll.Replications.Sum(x => x.Workload!.OperationLatencySum) / guestPoll.Replications.Sum(x => x.Workload!.OperationsCompleted);
        Assert.Equal(15_000, mean, 1e-6);
    }

    [Fact]
    public void Host_polling_is_off_for_a_vcpu_whose_guest_polls()
    {
        // 100 µs gaps past a 20 µs guest window: the guest halts every time; KVM, whose window would grow to catch them,
        // does not poll (MSR_KVM_POLL_CONTROL = 0).
        var guest = Run(Steady("const(100us)", "guest_halt_poll: 20us"));
        Assert.True(Count(guest, "HLT") > 100);
        Assert.Equal(0, Stats(guest).HaltAttemptedPoll);
        Assert.Equal(0, guest.Replications.Sum(x => x.Time.Poll));
        var host = Run(Steady("const(100us)", "guest_halt_poll: 0ns"));
        Assert.True(Stats(host).HaltAttemptedPoll > 100);
    }

    [Fact]
    public void Guest_polling_burns_guest_time_not_host_polling()
    {
        // ~30 µs of every ~52 µs is idle: polled in guest mode, so the host sees guest time (and the few exits), no halt polling.
        var r = Run(Steady("const(30us)"));
        double window = r.Replications.Sum(x => x.WindowNs);
        Assert.Equal(0, r.Replications.Sum(x => x.Time.Poll));
        Assert.True(r.Replications.Sum(x => x.Time.Guest) > 0.95 * window, $"{r.Replications.Sum(x => x.Time.Guest) / window:P1} guest");
        var host = Run(Steady("const(30us)", "guest_halt_poll: 0ns"));
        Assert.True(host.Replications.Sum(x => x.Time.Poll) > 0.4 * window);
    }

    [Fact]
    public void Disable_exits_removes_HLT_and_PAUSE_exits_and_wakes_the_halted_guest_from_C1()
    {
        string yaml = Steady("const(100us)", "guest_halt_poll: 0ns, kernel_spin: { rate: 5k/s, wait: const(30us) }")
            .Replace("features: [ept]", "features: [ept, apicv, disable-exits], cstates: icelake-sp")
            .Replace("HLT:", "PAUSE_INSTRUCTION: {}\n  HLT:");
        var off = Run(yaml.Replace(", disable-exits", ""));
        var on = Run(yaml);
        Assert.True(Count(off, "HLT") > 100);
        Assert.True(Count(off, "PAUSE_INSTRUCTION") > 0);   // until ple_window has grown past the spins
        Assert.Equal(0, Count(on, "HLT"));
        Assert.Equal(0, Count(on, "PAUSE_INSTRUCTION"));
        Assert.Equal(0, Stats(on).HaltAttemptedPoll);
        // The request's local interrupt is posted into the halted guest; it runs after C1's exit latency (icelake-sp: 1 µs).
        static double Mean(RunResult r) => r.Replications.Sum(x => x.Workload!.OperationLatencySum) / r.Replications.Sum(x => x.Workload!.OperationsCompleted);
        var polling = Run(yaml.Replace("cstates: icelake-sp", "cstates: none"));
        Assert.InRange(Mean(on) - Mean(polling), 999, 1_002);   // the same draws; a few more operations fit in one arm
        Assert.InRange(Mean(polling), 22_000, 22_200);   // compute + handler (+ the first-touch faults): no exit on the wake-up
    }

    [Fact]
    public void Guest_polling_and_disable_exits_are_refused_on_an_overcommitted_host()
    {
        var s = ScenarioLoader.Parse(Steady("const(100us)", "guest_halt_poll: 0ns").Replace("cores: 8", "cores: 1"), "test.yaml");
        foreach (var name in new[] { "guest-haltpoll", "disable-exits" })
        {
            var e = Assert.Throws<OptimisationException>(() => OptimisationCatalog.Apply(s, [name]));
            Assert.Contains("dedicated cores", e.Message);
        }
        var file = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Steady("const(100us)").Replace("cores: 8", "cores: 1"), "test.yaml"));
        Assert.Contains("overcommitted (1 vCPUs and 1 host threads on 1 cores)", file.Message);
    }

    [Fact]
    public void The_disable_exits_plug_in_stops_PAUSE_and_HLT_exits_given_as_a_rate()
    {
        const string yaml = """
            host: { vendor: intel, ghz: 2.0, cores: 4, features: [ept] }
            costs: { save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) }
            vm: { vcpus: 1 }
            exits: { CPUID: { rate: 1k/s }, HLT: { rate: 1k/s }, PAUSE_INSTRUCTION: { rate: 2k/s } }
            run: { duration: 20ms, warmup: 0ns, replications: 2, seed: 1 }
            """;
        var s = ScenarioLoader.Parse(yaml, "test.yaml");
        var run = ExperimentRunner.Run(OptimisationCatalog.Apply(s, ["disable-exits"]));
        Assert.Equal(0, Count(run, "HLT") + Count(run, "PAUSE_INSTRUCTION"));
        Assert.True(Count(run, "CPUID") > 20);
        Assert.True(Count(ExperimentRunner.Run(s), "PAUSE_INSTRUCTION") > 20);
    }

    [Fact]
    public void Disable_exits_refuses_HLT_exits_given_a_rate()
    {
        const string yaml = """
            host: { vendor: intel, ghz: 2.0, cores: 4, features: [ept, disable-exits] }
            costs: { save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) }
            vm: { vcpus: 1 }
            exits: { CPUID: { rate: 1k/s }, HLT: { rate: 1k/s } }
            """;
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "test.yaml"));
        Assert.StartsWith("test.yaml:4:", e.Located);
        Assert.Contains("disable-exits stops intercepting HLT", e.Message);
    }
}
