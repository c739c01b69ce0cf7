using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Workload;

/// <summary>The host kernel's own scheduler tick on the cores that run vCPUs (host.tick_hz).</summary>
public class HostTickTests
{
    private static RunReport Report(string yaml) => ReportBuilder.Build(ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml")));
    private static double Rate(RunReport r, string reason) => r.Reasons.FirstOrDefault(x => x.Name == reason)?.RatePerSecond ?? 0;

    /// <summary>One vCPU, APICv (device interrupts are posted: every EXTERNAL_INTERRUPT is a host tick), busy or mostly idle.</summary>
    private static string Vm(double tickHz, bool busy) =>
        WorkloadYaml.Make(vcpus: 1, clients: busy ? 32 : 1, think: busy ? "exp(10us)" : "exp(2ms)", compute: busy ? "exp(200us)" : "exp(20us)",
                diskIo: 0, rx: 1, tx: 1, features: "[ept, apicv]", touch: "0B/s", masked: 0, duration: "1s")
            .Replace("cores: 8,", $"cores: 8, tick_hz: {tickHz},");

    [Fact]
    public void A_busy_vcpu_exits_at_the_host_tick_rate()
    {
        var ticking = Report(Vm(1000, busy: true));
        Assert.True(ticking.Workload!.HaltedPct < 5, $"{ticking.Workload.HaltedPct}% halted");
        // CONFIG_HZ=1000 on a busy core: about 1,000 EXTERNAL_INTERRUPT exits a second (less the share of time out of the guest).
        Assert.InRange(Rate(ticking, "EXTERNAL_INTERRUPT"), 850, 1000);
        Assert.Equal(0, Rate(Report(Vm(0, busy: true)), "EXTERNAL_INTERRUPT"));
    }

    [Fact]
    public void A_mostly_halted_vcpu_takes_few_host_ticks()
    {
        // The blocked vCPU's core is idle and stops its tick (NO_HZ idle): ticks reach the vCPU only while it runs.
        var idle = Report(Vm(1000, busy: false));
        Assert.True(idle.Workload!.HaltedPct > 80, $"{idle.Workload.HaltedPct}% halted");
        Assert.True(Rate(idle, "EXTERNAL_INTERRUPT") < 250, $"{Rate(idle, "EXTERNAL_INTERRUPT")}/s");
    }

    [Fact]
    public void Todays_hosts_tick_at_250_hz_and_defaults_none_leaves_it_out()
    {
        string yaml = Vm(0, busy: true).Replace(" tick_hz: 0,", "");
        Assert.Equal(250, ScenarioLoader.Parse(yaml.Replace("defaults: none, features: [ept, apicv]", "defaults: linux-6.x/qemu-8.x"), "t.yaml").Host.TickHz);
        Assert.Equal(0, ScenarioLoader.Parse(yaml, "t.yaml").Host.TickHz);
    }
}
