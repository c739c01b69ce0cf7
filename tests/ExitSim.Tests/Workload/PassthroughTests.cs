using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Workload;

/// <summary>Passed-through (VFIO) devices: no exits or host threads per request or packet; interrupts posted by the IOMMU or taken as host IRQs.</summary>
public class PassthroughTests
{
    private static RunReport Report(Scenario s) => ReportBuilder.Build(ExperimentRunner.Run(s));
    private static Scenario Parse(string yaml, params string[] with)
    {
        var s = ScenarioLoader.Parse(yaml, "test.yaml");
        return with.Length > 0 ? OptimisationCatalog.Apply(s, with) : s;
    }

    private static long Count(RunReport r, string reason) => r.Reasons.FirstOrDefault(x => x.Name == reason)?.Samples ?? 0;

    /// <summary>A network-only VM: one vCPU, requests in and replies out, no disk I/O.</summary>
    private static string Net(string features, int clients = 8, string think = "exp(100us)") =>
        WorkloadYaml.Make(vcpus: 1, clients: clients, think: think, diskIo: 0, rx: 1, tx: 4, features: features, touch: "0B/s", masked: 0);

    [Fact]
    public void A_vfio_nic_takes_no_notify_exit_and_no_host_thread_per_packet()
    {
        string yaml = Net("[ept, apicv, vtd-pi]");
        var virtio = Report(Parse(yaml));
        var vfio = Report(Parse(yaml, "vfio-nic"));
        Assert.True(Count(virtio, "EPT_MISCONFIG") > 100, $"{Count(virtio, "EPT_MISCONFIG")} notifies through virtio-net");
        Assert.True(virtio.Workload!.NotifiesPerSecond > 0);
        // The VF's tail register is mapped into the guest and it DMAs the packets itself: nothing exits, nothing runs on the host.
        Assert.Equal(0, Count(vfio, "EPT_MISCONFIG"));
        Assert.Equal(0, vfio.Workload!.NotifiesPerSecond);
        Assert.True(vfio.Workload.ThroughputOpsPerSecond > 0.9 * virtio.Workload.ThroughputOpsPerSecond);
        Assert.Equal(0, vfio.Qemu.MaxUtilisation);
    }

    [Fact]
    public void Without_iommu_posting_a_vfio_interrupt_to_a_running_vcpu_exits_even_with_apicv()
    {
        // A busy vCPU (long computations, many clients): packets arrive while it runs in the guest.
        string Busy(string features) => WorkloadYaml.Make(vcpus: 1, clients: 32, think: "exp(50us)", compute: "exp(100us)", diskIo: 0, rx: 1, tx: 1,
            features: features, touch: "0B/s", masked: 0);
        var remapped = Report(Parse(Busy("[ept, apicv]"), "vfio-nic"));
        var posted = Report(Parse(Busy("[ept, apicv, vtd-pi]"), "vfio-nic"));
        var virtio = Report(Parse(Busy("[ept, apicv]")));
        // The host IRQ lands on the vCPU's core: EXTERNAL_INTERRUPT, then the irqfd injection at re-entry.
        Assert.True(Count(remapped, "EXTERNAL_INTERRUPT") > 1000, $"{Count(remapped, "EXTERNAL_INTERRUPT")} host IRQ exits");
        Assert.Equal(0, remapped.Workload!.PostedInterruptsPerSecond);
        // With a posted IRTE the IOMMU writes the descriptor and notifies: no exit at all.
        Assert.Equal(0, Count(posted, "EXTERNAL_INTERRUPT"));
        Assert.True(posted.Workload!.PostedInterruptsPerSecond > 1000);
        // virtio-net's irqfd injection is posted by APICv whatever the IOMMU: the difference is the host IRQ of a VFIO device.
        Assert.Equal(0, Count(virtio, "EXTERNAL_INTERRUPT"));
        // MSI-X is edge: with APICv its EOI never exits, posted or not.
        Assert.Equal(0, Count(remapped, "EOI_INDUCED"));
    }

    [Fact]
    public void Without_apicv_every_vfio_interrupt_to_a_running_vcpu_exits()
    {
        string yaml = WorkloadYaml.Make(vcpus: 1, clients: 32, think: "exp(50us)", compute: "exp(100us)", diskIo: 0, rx: 1, tx: 1, features: "[ept]", touch: "0B/s", masked: 0);
        var r = Report(Parse(yaml, "vfio-nic"));
        Assert.True(Count(r, "EXTERNAL_INTERRUPT") > 1000);
        // ...and its EOI is an x2APIC MSR write (MSI-X is edge-triggered, not in the EOI-exit path of an IOAPIC pin).
        Assert.True(Count(r, "MSR_WRITE") > Count(r, "EXTERNAL_INTERRUPT"));
    }

    [Fact]
    public void A_vfio_disk_submits_through_its_mapped_doorbell_without_exits()
    {
        string yaml = WorkloadYaml.Make(vcpus: 2, clients: 8, diskIo: 2, rx: 0, tx: 0, nic: "virtio-net", features: "[ept, apicv, vtd-pi]", touch: "0B/s")
            .Replace("model: virtio-blk, backend: \"exp(100us)\", channels: 8, qemu: \"lognormal(mean=5us, cv=0.5)\"", "model: vfio, queues: 2, backend: \"exp(100us)\", channels: 8");
        var r = Report(Parse(yaml));
        Assert.True(r.Workload!.DiskRequestsPerSecond > 1000);
        Assert.Equal(0, Count(r, "EPT_MISCONFIG"));
        Assert.Equal(0, Count(r, "EXTERNAL_INTERRUPT"));
        Assert.Equal(0, r.Workload.NotifiesPerSecond);
    }

    [Theory]
    [InlineData("[ept, vtd-pi]", "'vtd-pi' works only with apicv on")]
    public void Vtd_pi_needs_apicv_in_the_host_features(string features, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => Parse(Net(features)));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("vfio-nic,vhost", "vhost serves virtqueues but the NIC is passed through (vfio)")]
    [InlineData("vtd-pi", "vtd-pi posts device interrupts to APICv's posted-interrupt descriptors: add apicv")]
    public void Impossible_combinations_are_refused_in_one_line(string with, string message)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("exitsim-vfio").FullName, "s.yaml");
        File.WriteAllText(file, Net("[ept]"));
        var r = CliRunner.Run("compare", file, "--with", with, "-r", "2", "--duration", "10ms");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_vfio_device_with_host_side_work_is_refused()
    {
        string yaml = Net("[ept]").Replace("nic: { model: virtio-net,", "nic: { model: vfio,");
        var e = Assert.Throws<ScenarioException>(() => Parse(yaml));
        Assert.Contains("a passed-through (vfio) device DMAs straight into guest memory", e.Message);
    }

    [Fact]
    public void Vtd_pi_is_on_by_default_on_intel()
    {
        var s = ScenarioLoader.Parse(Net("[ept]").Replace("defaults: none, features: [ept]", "defaults: linux-6.x/qemu-8.x"), "test.yaml");
        Assert.Contains("vtd-pi", s.Host.Features);
        Assert.NotNull(OptimisationCatalog.AlreadyOn(s, "vtd-pi"));
    }
}
