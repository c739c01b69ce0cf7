using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Workload;

/// <summary>QEMU's e1000: coalesced MMIO for all but a few registers, and interrupt mitigation.</summary>
public class E1000Tests
{
    /// <summary>One vCPU, no disk, packets in only: every interrupt is the NIC's and every MMIO exit its register's.</summary>
    private static RunResult ReceiveOnly(string rate)
    {
        string yaml = WorkloadYaml.Make(nic: "e1000", vcpus: 1, kind: "open", rate: rate, rx: 1, tx: 0, diskIo: 0,
            compute: "const(2us)", duration: "500ms", masked: 0);
        int start = yaml.IndexOf("  disk: {", StringComparison.Ordinal), end = yaml.IndexOf('\n', start);
        return ExperimentRunner.Run(ScenarioLoader.Parse(yaml.Remove(start, end - start + 1), "e1000.yaml"));
    }

    [Fact]
    public void The_handlers_rdt_write_is_coalesced_in_kvm_and_the_other_five_accesses_reach_qemu()
    {
        // e1000_intr: ICR read, IMC write, flush; NAPI: RDT refill; e1000_irq_enable: IMS write, flush. QEMU excludes
        // ICR, IMS and IMC from coalescing and reads always exit to it; RDT is coalesced (hw/net/e1000.c e1000_mmio_setup).
        var run = ReceiveOnly("2k/s");
        int mmio = Array.FindIndex(run.Model.Reasons, r => r.Name == "EPT_MISCONFIG");
        foreach (var r in run.Replications)
        {
            long irqs = r.Workload!.Interrupts;
            Assert.True(irqs > 500, $"{irqs} interrupts");
            Assert.InRange(r.Reasons[mmio].Count, 6 * irqs - 12, 6 * irqs + 12);   // all six still exit (to KVM at least)
            Assert.InRange(r.QemuServed, 5 * irqs - 10, 5 * irqs + 10);             // five go on to QEMU
        }
    }

    [Fact]
    public void Interrupt_mitigation_holds_the_nic_to_one_interrupt_per_128us_and_each_covers_several_packets()
    {
        // QEMU's mit_timer: at least 500 × 256 ns between raised interrupts, 7,813/s at most (hw/net/e1000.c).
        var run = ReceiveOnly("40k/s");
        foreach (var r in run.Replications)
        {
            double seconds = r.WindowNs / 1e9;
            double perSecond = r.Workload!.Interrupts / seconds;
            Assert.True(perSecond <= 1e9 / (500 * 256) * 1.01, $"{perSecond:0}/s");
            Assert.True(perSecond > 0.8 * 1e9 / (500 * 256), $"{perSecond:0}/s: the NIC is busy enough to interrupt at the cap");
            double packets = r.Workload.OperationsCompleted / seconds;
            Assert.True(packets > 35_000, $"{packets:0} packets/s handled");
            Assert.True(packets / perSecond > 4, $"{packets / perSecond:0.0} packets per interrupt");
        }
    }

    [Fact]
    public void The_trace_shows_the_coalesced_write_as_kvm_mmio_with_no_userspace_exit()
    {
        string dir = Directory.CreateTempSubdirectory("exitsim-e1000").FullName, file = Path.Combine(dir, "s.yaml"), trace = Path.Combine(dir, "t.trace");
        File.WriteAllText(file, WorkloadYaml.Make(nic: "e1000", vcpus: 1, rx: 1, tx: 0, diskIo: 0, duration: "50ms")
            .Replace("  disk: { model: virtio-blk", "  disk: { model: ahci"));
        var r = CliRunner.Run("run", file, "-r", "1", "--export-trace", trace);
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = File.ReadAllLines(trace);
        int[] rdt = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains("kvm_mmio: mmio write len 4 gpa 0xfebc2818")).ToArray();
        Assert.NotEmpty(rdt);
        foreach (int i in rdt) Assert.Contains("kvm_entry:", lines[i + 1]);   // straight back in: no kvm_userspace_exit
    }
}
