using ExitSim.Running;

namespace ExitSim.Tests.Simulation;

public class ConservationTests
{
    [Theory]
    [InlineData("database.yaml")]
    [InlineData("web.yaml")]
    [InlineData("bigdata.yaml")]
    [InlineData("bench/peer-4vcpu.yaml")]
    public void Every_vcpu_accounts_for_exactly_the_simulated_time(string file)
    {
        var run = ExitSim.Running.ExperimentRunner.Run(ExitSim.Scenarios.ScenarioLoader.LoadFile(Repo.Path("scenarios", file)),
            new RunOptions { DurationNs = 50e6, Replications = 2 });
        foreach (var r in run.Replications)
            foreach (var v in r.VcpuTime)
            {
                Assert.Equal(r.WindowNs, v.Total, r.WindowNs * 1e-9);
                Assert.True(v.Guest > 0 && v.Save >= 0 && v.Handle > 0 && v.Wait >= 0 && v.Emulate >= 0 && v.Reenter >= 0);
            }
    }

    [Fact]
    public void Preemption_keeps_the_guests_remaining_work()
    {
        // A constant 100 µs of guest work between MSR_WRITEs: pre-emptions by interrupts and timer
        // ticks must not restart the count, so MSR_WRITE happens exactly every 100 µs of guest time.
        const string yaml = """
            name: preempt
            host: { vendor: intel, ghz: 2.0, cores: 4 }
            costs: { save: const(200ns), handle: exp(1us), reenter: const(100ns) }
            vm: { vcpus: 2, timer_hz: 1000 }
            exits:
              MSR_WRITE: { interval: const(100us) }
              EXTERNAL_INTERRUPT: { rate: 30k/s, clock: wall }
              PREEMPTION_TIMER: {}
            run: { duration: 200ms, warmup: 1ms, replications: 2, seed: 5 }
            """;
        var run = Run.Yaml(yaml);
        var model = run.Model;
        int msr = model.ReasonIndex("MSR_WRITE"), intr = model.ReasonIndex("EXTERNAL_INTERRUPT"), timer = model.ReasonIndex("PREEMPTION_TIMER");
        foreach (var r in run.Replications)
        {
            double guestSeconds = r.Time.Guest / 1e9;
            long timerArms = r.Reasons[timer].Count + r.Reasons[timer].Absorbed;   // every tick re-arms with an MSR_WRITE
            double guestCaused = r.Reasons[msr].Count - timerArms;
            Assert.Equal(10_000, guestCaused / guestSeconds, 10_000 * 0.01);
            // Interrupts: 30k/s of wall time per vCPU, minus those that found the vCPU already out of the guest.
            double wall = (r.Reasons[intr].Count + r.Reasons[intr].Absorbed) / (r.WindowNs / 1e9) / 2;
            Assert.Equal(30_000, wall, 30_000 * 0.02);
            Assert.True(r.Reasons[intr].Absorbed > 0);
            // Ticks: 1000/s per vCPU, every one accounted as an exit or absorbed.
            Assert.Equal(2 * 1000 * r.WindowNs / 1e9, timerArms, 2.0 + 0.0);
        }
    }

    [Fact]
    public void A_wall_clock_userspace_exit_voids_the_pending_guest_exit()
    {
        // Regression: an interrupt-like userspace exit pre-empted the guest but left its scheduled
        // guest exit alive, which then fired while the vCPU waited for QEMU.
        const string yaml = """
            name: wall-userspace
            host: { vendor: intel, ghz: 2.0, cores: 4 }
            costs: { save: const(200ns), handle: exp(1us), reenter: const(100ns) }
            vm: { vcpus: 4, qemu_threads: per-vm }
            exits:
              IO_INSTRUCTION: { rate: 20k/s, clock: wall, path: userspace, emulate: const(15us) }
              EPT_VIOLATION: { rate: 50k/s }
            run: { duration: 300ms, warmup: 1ms, replications: 2, seed: 9 }
            """;
        var run = Run.Yaml(yaml);
        foreach (var r in run.Replications)
        {
            foreach (var v in r.VcpuTime) Assert.Equal(r.WindowNs, v.Total, r.WindowNs * 1e-9);
            var ept = r.Reasons[run.Model.ReasonIndex("EPT_VIOLATION")];
            Assert.Equal(50_000, ept.Count / (r.Time.Guest / 1e9), 50_000 * 0.03);
        }
    }
}
