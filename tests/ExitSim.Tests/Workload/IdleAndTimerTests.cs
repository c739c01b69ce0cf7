using ExitSim.Model;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation.Host;
using ExitSim.Distributions;

namespace ExitSim.Tests.Workload;

/// <summary>The idle path and the guest timer: halt polling under contention, host C-states, deferred and NO_HZ timer exits.</summary>
public class IdleAndTimerTests
{
    private static RunReport Report(string yaml) => ReportBuilder.Build(ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml")));

    private static ReasonRow? Row(RunReport r, string reason) => r.Reasons.FirstOrDefault(x => x.Name == reason);
    private static long Count(RunReport r, string reason) => Row(r, reason)?.Samples ?? 0;

    [Fact]
    public void A_polling_vcpu_gives_up_its_core_when_another_thread_waits_for_it()
    {
        // Polling windows far longer than the idle periods: with a core per thread nearly every wake is caught by polling.
        // On 2 cores the vCPUs' polling would keep QEMU's and the other vCPUs' work waiting; kvm_vcpu_can_poll stops it.
        string yaml = WorkloadYaml.Make(clients: 8, think: "exp(300us)", haltPoll: "2ms", disk: "ahci", nic: "e1000");
        var alone = Report(yaml.Replace("cores: 8,", "cores: 16,")).Workload!;
        var shared = Report(yaml.Replace("cores: 8,", "cores: 2,"));
        Assert.True(alone.PolledWakesPct > 90, $"uncontended: {alone.PolledWakesPct:0.0}% polled");
        Assert.NotNull(shared.Host);   // contended: the report has a host section
        Assert.True(shared.Workload!.PolledWakesPct < alone.PolledWakesPct - 20,
            $"contended: {shared.Workload.PolledWakesPct:0.0}% polled vs {alone.PolledWakesPct:0.0}% alone");
    }

    [Fact]
    public void The_governor_picks_the_deepest_state_the_idle_period_reaches()
    {
        var w = new WakeUp(Sampler.Zero, HostIdleStates.IceLakeSp);
        Assert.Equal(0, w.ExitLatency(500));       // shorter than C1's residency: polling
        Assert.Equal(1e3, w.ExitLatency(2e3));     // C1
        Assert.Equal(4e3, w.ExitLatency(100e3));   // C1E
        Assert.Equal(170e3, w.ExitLatency(1e6));   // C6 from 600 µs on
        Assert.Equal(0, new WakeUp(Sampler.Zero, HostIdleStates.None).ExitLatency(1e9));
    }

    [Fact]
    public void A_blocked_vcpu_on_an_idle_core_pays_the_c_state_exit_and_polling_hides_it()
    {
        // Long idle periods (think ≫ 600 µs): an idle core reaches C6 (170 µs exit on Ice Lake-SP).
        string yaml = WorkloadYaml.Make(clients: 2, think: "exp(3ms)", diskIo: 0, rx: 0, tx: 0);
        var none = Report(yaml).Workload!;
        var icx = Report(yaml.Replace("cores: 8,", "cores: 8, cstates: icelake-sp,")).Workload!;
        Assert.True(none.WakeLatency.P50Ns < 30e3, $"no C-states: wake-up p50 {none.WakeLatency.P50Ns} ns");
        Assert.True(icx.WakeLatency.P50Ns > none.WakeLatency.P50Ns + 150e3, $"C6: wake-up p50 {icx.WakeLatency.P50Ns} ns vs {none.WakeLatency.P50Ns}");
        var polled = Report(yaml.Replace("cores: 8,", "cores: 8, cstates: icelake-sp,").Replace("halt_poll: 0ns", "halt_poll: 20ms")).Workload!;
        Assert.True(polled.WakeLatency.P50Ns < 30e3, $"polling: wake-up p50 {polled.WakeLatency.P50Ns} ns");
    }

    [Fact]
    public void A_kick_wakes_a_sleeping_device_thread()
    {
        // One disk request at a time, nothing else: the kick finds the front end asleep, the completion a blocked vCPU.
        // A 50 µs scheduler wake-up then delays each request twice: the front end's and the vCPU's.
        string yaml = WorkloadYaml.Make(clients: 1, think: "exp(2ms)", rx: 0, tx: 0, backend: "const(100us)");
        double Storage(string wake) => Report(yaml.Replace("wake: \"lognormal(mean=6us, cv=0.5)\"", $"wake: {wake}")).Workload!.StorageLatency.P50Ns;
        double delta = Storage("const(50us)") - Storage("const(1ns)");
        Assert.InRange(delta, 90e3, 110e3);
    }

    [Fact]
    public void Host_cstates_are_read_and_written()
    {
        string yaml = WorkloadYaml.Make();
        var named = ScenarioLoader.Parse(yaml.Replace("cores: 8,", "cores: 8, cstates: icelake-sp,"), "t.yaml");
        Assert.Equal(HostIdleStates.IceLakeSp, named.Host.IdleStates);
        Assert.Equal(named, ScenarioLoader.Parse(ScenarioWriter.Write(named), "t.yaml"));
        var listed = ScenarioLoader.Parse(yaml.Replace("cores: 8,", "cores: 8, cstates: [{ name: C1, exit_latency: 2us, target_residency: 2us }, { name: C6, exit_latency: 133us, target_residency: 600us }],"), "t.yaml");
        Assert.Equal([new HostIdleState("C1", 2e3, 2e3), new HostIdleState("C6", 133e3, 600e3)], listed.Host.IdleStates!.States);
        Assert.Equal(listed, ScenarioLoader.Parse(ScenarioWriter.Write(listed), "t.yaml"));
        Assert.Equal(HostIdleStates.None, ScenarioLoader.Parse(yaml.Replace("cores: 8,", "cores: 8, cstates: none,"), "t.yaml").Host.IdleStates);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml.Replace("cores: 8,", "cores: 8, cstates: icelake_sp,"), "t.yaml"));
        Assert.StartsWith("t.yaml:2:", e.Located);
        Assert.Contains("did you mean 'icelake-sp'", e.Message);
        e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml.Replace("cores: 8,", "cores: 8, cstates: [{ name: C6, exit_latency: 133us, target_residency: 600us }, { name: C1, exit_latency: 1us, target_residency: 1us }],"), "t.yaml"));
        Assert.Contains("shallowest first", e.Message);
    }

    /// <summary>No workload: ticks and one userspace exit that keeps the vCPU out of the guest about half the time.</summary>
    private static string Ticking(string vendor) => $$"""
        name: ticks
        host: { vendor: {{vendor}}, ghz: 2.0, cores: 8 }
        costs: { save: const(200ns), handle: const(1us), reenter: const(100ns) }
        vm: { vcpus: 2, timer_hz: 1000, qemu_threads: per-vcpu }
        exits:
          {{(vendor == "intel" ? "IO_INSTRUCTION" : "io")}}: { rate: 20k/s, path: userspace, emulate: const(50us) }
        run: { duration: 500ms, warmup: 20ms, replications: 2, seed: 5 }
        """;

    [Fact]
    public void On_intel_a_tick_due_outside_the_guest_exits_right_after_entry()
    {
        var intel = Report(Ticking("intel"));
        var timer = Row(intel, "PREEMPTION_TIMER")!;
        Assert.Equal(0, timer.Absorbed);
        Assert.InRange(timer.RatePerSecond, 1000 * 2 * 0.98, 1000 * 2 * 1.02);   // every tick of both vCPUs
        Assert.Equal(timer.Samples, Count(intel, "MSR_WRITE"));                    // each followed by its re-arm
        // AMD: the host hrtimer fired in root mode; the tick is injected at entry with no exit of its own.
        var amd = Row(Report(Ticking("amd")), "interrupt")!;
        Assert.True(amd.Absorbed > 0.3 * (amd.Samples + amd.Absorbed), $"absorbed {amd.Absorbed} of {amd.Samples + amd.Absorbed}");
    }

    [Fact]
    public void A_tickless_guest_rearms_the_tsc_deadline_on_idle_entry_and_exit()
    {
        string yaml = WorkloadYaml.Make(clients: 2, think: "exp(1ms)", rx: 0, tx: 0);
        var ticking = Report(yaml);
        var noTick = Report(yaml.Replace("timer_hz: 250", "timer_hz: 0"));
        long hlt = Count(ticking, "HLT");
        Assert.True(hlt > 1000);
        // MSR_WRITE beyond the run without a tick: one re-arm per tick, and two per idle period (tick stopped, restarted).
        double extra = Count(ticking, "MSR_WRITE") - Count(noTick, "MSR_WRITE") - Count(ticking, "PREEMPTION_TIMER");
        Assert.InRange(extra / hlt, 1.8, 2.3);
    }
}
