using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Simulation;

public class ExitSiteTests
{
    [Fact]
    public void One_reason_can_have_two_guest_clock_streams_each_at_its_own_site()
    {
        // No YAML says this yet: IO_INSTRUCTION to QEMU at 20k/s and, at a second site, to an ioeventfd in the
        // kernel at 30k/s, each with its own occurrence stream. Both count under the reason; only one goes to QEMU.
        const string yaml = """
            name: two-sites
            host: { vendor: intel, ghz: 2.0, cores: 8 }
            costs: { save: const(100ns), handle: const(400ns), reenter: const(100ns) }
            vm: { vcpus: 2, qemu_threads: per-vcpu }
            exits:
              IO_INSTRUCTION: { rate: 20k/s, path: userspace, emulate: const(1us) }
            run: { duration: 300ms, warmup: 10ms, replications: 2, seed: 4 }
            """;
        var m = ModelBuilder.Build(ScenarioLoader.Parse(yaml, "two-sites.yaml"));
        int io = m.ReasonIndex("IO_INSTRUCTION");
        var own = m.Sites[io];
        var kernel = new ExitSite
        {
            Reason = io, Path = ExitPath.Kernel, StreamKey = 0x2000,
            Save = own.Save, Handle = Sampler.Constant(200), Emulate = Sampler.Zero, Reenter = own.Reenter,
        };
        var model = new SimulationModel
        {
            Scenario = m.Scenario, Reasons = m.Reasons, Workload = m.Workload, WallSources = m.WallSources,
            Sites = [.. m.Sites, kernel],
            GuestStreams = [.. m.GuestStreams, new GuestClockStream { Site = m.Sites.Length, StreamKey = 0x2000, Interval = Sampler.Exponential(1e9 / 30_000) }],
            VmCount = m.VmCount, VcpusPerVm = m.VcpusPerVm, QemuThreads = m.QemuThreads, WarmupNs = m.WarmupNs, DurationNs = m.DurationNs,
        };
        for (int rep = 0; rep < 2; rep++)
        {
            var r = new Replication(model, 4, rep).Run();
            double guestSeconds = r.Time.Guest / 1e9;
            var exits = r.Reasons[io];
            Assert.Equal(50_000, exits.Count / guestSeconds, 50_000 * 0.03);
            Assert.Equal(20_000, exits.Userspace / guestSeconds, 20_000 * 0.04);
            // The kernel site's exits take 400 ns, the userspace ones 1.6 µs: the reason's mean is their mix.
            double mean = (0.4 * 1600 + 0.6 * 400);
            Assert.Equal(mean, exits.Mean, mean * 0.03);
        }
    }
}
