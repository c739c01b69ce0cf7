using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Workload;

/// <summary>Poll-mode networking: a vhost-user back end that polls (no notifies, dedicated cores) and a DPDK PMD in the guest (no interrupts, no HLT).</summary>
public class PollModeTests
{
    private static RunReport Report(string yaml, params string[] with)
    {
        var s = ScenarioLoader.Parse(yaml, "test.yaml");
        if (with.Length > 0) s = OptimisationCatalog.Apply(s, with);
        return ReportBuilder.Build(ExperimentRunner.Run(s));
    }

    private static long Count(RunReport r, string reason) => r.Reasons.FirstOrDefault(x => x.Name == reason)?.Samples ?? 0;

    /// <summary>A network-only VM on vhost-net with a lightly loaded vCPU: it idles between requests.</summary>
    private static string Net(int vcpus = 2, string features = "[ept, apicv]") =>
        WorkloadYaml.Make(vcpus: vcpus, clients: 4, think: "exp(200us)", diskIo: 0, rx: 1, tx: 4, features: features, touch: "0B/s", masked: 0)
            .Replace("nic: { model: virtio-net,", "nic: { model: virtio-net, dataplane: vhost, queues: " + vcpus + ",");

    [Fact]
    public void A_polling_vhost_user_back_end_is_never_notified_and_burns_its_cores()
    {
        var vhost = Report(Net());
        var user = Report(Net(), "vhost-user");
        Assert.True(Count(vhost, "EPT_MISCONFIG") > 100, $"{Count(vhost, "EPT_MISCONFIG")} kicks to vhost-net");
        // VRING_USED_F_NO_NOTIFY stays set: the guest never kicks.
        Assert.Equal(0, Count(user, "EPT_MISCONFIG"));
        Assert.Equal(0, user.Workload!.NotifiesPerSecond);
        // One polling thread per queue, each a whole core, whatever the load.
        Assert.Equal([1.0, 1.0], user.Workload.VhostUtilisation);
        Assert.All(vhost.Workload!.VhostUtilisation, u => Assert.True(u < 0.5, $"vhost-net worker {u:P0} busy"));
        // A kernel guest still takes the receive interrupts (the call eventfd → irqfd).
        Assert.True(user.Workload.InterruptsPerSecond > 1000);
    }

    [Fact]
    public void A_guest_pmd_takes_no_receive_interrupt_and_never_halts()
    {
        var kernel = Report(Net());
        var pmd = Report(Net(), "guest-pmd");
        Assert.True(Count(kernel, "HLT") > 1000, $"{Count(kernel, "HLT")} HLTs with the kernel driver");
        Assert.True(kernel.Workload!.InterruptsPerSecond > 1000);
        Assert.Equal(0, Count(pmd, "HLT"));
        Assert.Equal(0, pmd.Workload!.HaltedPct);
        // Only the reschedule IPIs and timer interrupts of a kernel guest could remain: no packet raises anything.
        Assert.Equal(0, pmd.Workload.InterruptsPerSecond);
        Assert.True(pmd.Workload.ThroughputOpsPerSecond > 0.9 * kernel.Workload.ThroughputOpsPerSecond);
        // No NO_HZ idle re-arms either: the only MSR_WRITEs left are the tick's re-arms and the scenario's own 1k/s.
        Assert.True(Count(pmd, "MSR_WRITE") < Count(kernel, "MSR_WRITE"));
        // A request is taken as soon as it lands (no wake-up): the median operation is faster than with interrupts and HLT.
        Assert.True(pmd.Workload.OperationLatency.P50Ns < kernel.Workload.OperationLatency.P50Ns,
            $"p50 {pmd.Workload.OperationLatency.P50Ns} ns polled vs {kernel.Workload.OperationLatency.P50Ns} ns");
    }

    [Fact]
    public void Dpdk_on_both_sides_takes_neither_notifies_nor_interrupts()
    {
        var r = Report(Net(), "vhost-user", "guest-pmd");
        Assert.Equal(0, Count(r, "EPT_MISCONFIG") + Count(r, "HLT") + Count(r, "EXTERNAL_INTERRUPT"));
        Assert.Equal(0, r.Workload!.InterruptsPerSecond);
        Assert.True(r.Workload.ThroughputOpsPerSecond > 0);
    }

    [Theory]
    [InlineData("vhost,vhost-user", "vhost and vhost-user both set the NIC's back end")]
    [InlineData("vfio-nic,vhost-user", "vhost-user serves virtqueues but the NIC is passed through (vfio)")]
    public void Impossible_combinations_are_refused_in_one_line(string with, string message)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("exitsim-pmd").FullName, "s.yaml");
        File.WriteAllText(file, Net());
        var r = CliRunner.Run("compare", file, "--with", with, "-r", "2", "--duration", "10ms");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("nic: { model: virtio-net, dataplane: vhost, queues: 2,", "nic: { model: e1000, driver: pmd,", "driver: pmd is modelled for virtio-net and vfio NICs")]
    [InlineData("nic: { model: virtio-net, dataplane: vhost, queues: 2,", "nic: { model: virtio-net, dataplane: vhost-user, queues: 8,", "dataplane: vhost-user polls each of the NIC's 8 queue(s)")]
    [InlineData("disk: { model: virtio-blk,", "disk: { model: virtio-blk, dataplane: vhost-user,", "dataplane: vhost-user needs its worker's time per request")]
    public void Bad_settings_are_refused_with_their_line(string from, string to, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Net().Replace(from, to), "test.yaml"));
        Assert.Contains(message, e.Message);
    }
}
