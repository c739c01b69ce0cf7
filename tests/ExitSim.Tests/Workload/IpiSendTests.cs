using ExitSim.Scenarios;
using ExitSim.Simulation;
using static ExitSim.Tests.Workload.VmexitTests;

namespace ExitSim.Tests.Workload;

/// <summary>
/// host.ipi_send: the delivery KVM does inside the sender's ICR-write exit (kvm_apic_send_ipi down to
/// vmx_deliver_posted_interrupt and the host's notification IPI). It lengthens that exit's handle on the full path and
/// on the fastpath alike, goes away with the exit under IPIv, and leaves every other exit of the same reason alone.
/// </summary>
public class IpiSendTests
{
    private const double Send = 250, Saving = 440;

    private static string With(string yaml) => yaml.Replace("cores: 4,", "cores: 4, ipi_send: 250cyc,");

    [Theory]
    [InlineData("x2apic")]
    [InlineData("xapic")]
    public void The_send_is_on_the_senders_critical_path_before_the_ipi_leaves(string apic)
    {
        var without = Run(Yaml("ipi", apic: apic));
        var with = Run(With(Yaml("ipi", apic: apic)));
        Assert.Equal(without.ExitsPerIteration.Keys.Order(), with.ExitsPerIteration.Keys.Order());
        Assert.Equal(Send, with.RoundTripCycles - without.RoundTripCycles, 6);
    }

    [Fact]
    public void The_fastpath_keeps_the_send_it_skips_only_the_generic_exit_path()
    {
        var fast = Run(With(Yaml("ipi")));
        var full = Run(With(Yaml("ipi", "[ept, apicv, pv-eoi]")));
        Assert.Equal(Saving, full.RoundTripCycles - fast.RoundTripCycles, 6);
        Assert.Equal(Send, full.RoundTripCycles - Run(Yaml("ipi", "[ept, apicv, pv-eoi]")).RoundTripCycles, 6);
    }

    [Theory]
    [InlineData("x2apic")]
    [InlineData("xapic")]
    public void Ipiv_removes_the_send_with_the_exit(string apic)
    {
        var o = Run(With(Yaml("ipi", apic: apic)), "ipiv");
        var plain = Run(Yaml("ipi", apic: apic), "ipiv");
        Assert.Empty(o.ExitsPerIteration);
        Assert.Equal(plain.RoundTripCycles, o.RoundTripCycles, 6);
        // So what IPIv saves grows by the send.
        double saved = Run(With(Yaml("ipi", apic: apic))).RoundTripCycles - o.RoundTripCycles;
        double savedPlain = Run(Yaml("ipi", apic: apic)).RoundTripCycles - plain.RoundTripCycles;
        Assert.Equal(Send, saved - savedPlain, 6);
    }

    [Fact]
    public void The_targets_eoi_msr_write_does_not_carry_it()
    {
        // Without APICv the target's EOI is an MSR_WRITE too (2 per iteration): only the ICR write's carries the send.
        var with = Run(With(Yaml("ipi", "[ept, exit-fastpath]", loop: "3000cyc")));
        var without = Run(Yaml("ipi", "[ept, exit-fastpath]", loop: "3000cyc"));
        Assert.Equal(2, with.ExitsPerIteration["MSR_WRITE"], 1);
        Assert.Equal(Send, with.RoundTripCycles - without.RoundTripCycles, 6);
    }

    [Fact]
    public void A_workloads_icr_site_carries_it_and_no_other_site_does()
    {
        string yaml = WorkloadYaml.Make(vcpus: 2, clients: 4, think: "exp(50us)", features: "[ept, exit-fastpath]", duration: "10ms");
        var on = ModelBuilder.Build(ScenarioLoader.Parse(yaml.Replace("ghz: 2.0,", "ghz: 2.0, ipi_send: 250cyc,"), "w.yaml"));
        var off = ModelBuilder.Build(ScenarioLoader.Parse(yaml, "w.yaml"));
        Assert.Equal((Send - Saving) / 2.0, on.Sites[on.Workload!.SiteIcr].HandleExtraNs, 9);
        Assert.Equal(-Saving / 2.0, off.Sites[off.Workload!.SiteIcr].HandleExtraNs, 9);
        Assert.Equal(0, on.Sites[on.Workload.SiteEoiEdge].HandleExtraNs);
        Assert.Equal(off.Sites.Length + 1, on.Sites.Length);
    }
}
