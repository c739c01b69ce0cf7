using ExitSim.Scenarios;

namespace ExitSim.Tests.Workload;

/// <summary>Bad workload input: one located line each, with a hint.</summary>
public class WorkloadLoaderTests
{
    [Theory]
    [InlineData("disk_io: 1,", "disk_ios: 1,", "unknown key 'disk_ios' in 'workload.op' (did you mean 'disk_io'?)")]
    [InlineData("model: virtio-blk", "model: virtio-blk, dataplane: iothread, queues: 2", null)]
    [InlineData("model: e1000", "model: e1000, dataplane: vhost", "vhost serves virtio queues, not an emulated e1000")]
    [InlineData("model: virtio-blk", "model: virtio-blk, dataplane: vhost", "dataplane: vhost on a disk is vhost-scsi and needs model: virtio-scsi; mainline Linux has no vhost-blk")]
    [InlineData("model: virtio-blk", "model: virtio-scsi, dataplane: vhost, vhost: const(2us)", null)]
    [InlineData("model: virtio-blk", "model: virtio-blk, vhost: const(2us)", null)]
    [InlineData("model: virtio-blk", "model: virtio-blk, dataplane: vhost-user", "dataplane: vhost-user needs its worker's time per request")]
    [InlineData("model: virtio-blk", "model: virtio-blk, dataplane: vhost-user, vhost: const(3us)", null)]
    [InlineData("model: e1000", "model: virtio-net, dataplane: vhost-user", null)]
    [InlineData("model: virtio-blk", "model: virtio-blk, queues: 4, iothreads: 4", null)]
    [InlineData("model: virtio-blk", "model: virtio-blk, queues: 2, iothreads: 4", "iothreads: 4 but the disk has 2 queue(s)")]
    [InlineData("model: virtio-blk", "model: virtio-scsi, queues: 4, iothreads: 4", "iothreads: 4 is iothread-vq-mapping, a virtio-blk property (QEMU 9.0), but the disk is virtio-scsi")]
    [InlineData("model: virtio-blk", "model: virtio-blk, queues: 4, iothreads: 4, dataplane: qemu", "iothreads: 4 are QEMU IOThreads but the disk's dataplane is qemu")]
    [InlineData("model: virtio-blk", "model: virtio-blk, poll_max: 50us", null)]
    [InlineData("model: virtio-blk", "model: virtio-blk, poll_max: 5000cyc", "'poll_max'")]
    [InlineData("model: e1000", "model: e1000, poll_max: 50us", "poll_max is an IOThread's poll-max-ns and IOThreads serve disks")]
    [InlineData("model: e1000", "model: virtio-net, dataplane: iothread", "a QEMU IOThread serves virtio-blk/virtio-scsi queues: a virtio-net NIC's own worker is dataplane: vhost")]
    [InlineData("model: virtio-blk", "model: virtio-blkk", "'model' must be one of ide, ahci, virtio-blk, virtio-scsi, vfio, got 'virtio-blkk' (did you mean 'virtio-blk'?)")]
    [InlineData("  clients: 8", "  clients: 8\n  rate: 5k/s", "'rate' is for kind: open")]
    [InlineData("touch_rate: 4MiB/s", "touch_rate: 4MiB", "'touch_rate' is bytes per second of guest time, e.g. 4MiB/s")]
    [InlineData("HLT: { handle:", "HLT: { rate: 1k/s, handle:", "with a workload, HLT exits come from idle vCPUs: drop its rate")]
    [InlineData(", ioeventfd: \"lognormal(mean=900cyc, cv=0.3)\"", "", "give exits.EPT_MISCONFIG.ioeventfd")]
    [InlineData(", ioeventfd: \"lognormal(mean=900cyc, cv=0.3)\"", ", ioeventfd: \"lognormal(mean=900cyc, cv=0.3)\", coalesced: const(1500cyc)", null)]
    [InlineData(", ioeventfd: \"lognormal(mean=900cyc, cv=0.3)\"", ", ioeventfd: \"lognormal(mean=900cyc, cv=0.3)\", coalesced: 12", "'coalesced'")]
    [InlineData("masked: 0.05", "masked: 150%", "'masked' is a share between 0% and 100%")]
    [InlineData("think: exp(200us)", "think: exp(400cyc)", "'think' is a time: give it in ns, us, ms or s, not cycles")]
    public void Mistakes_are_reported_at_their_place(string find, string replace, string? message)
    {
        string yaml = WorkloadYaml.Make(disk: "virtio-blk", nic: "e1000");
        Assert.Contains(find, yaml);
        yaml = yaml.Replace(find, replace);
        if (message is null)
        {
            ScenarioLoader.Parse(yaml, "w.yaml");   // valid
            return;
        }
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "w.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Matches(@"^w\.yaml:\d+:\d+: ", e.Located);
        Assert.True(e.Line > 1, "points into the file, not at its start");
    }

    [Fact]
    public void Disk_io_without_a_disk_names_what_is_missing()
    {
        string yaml = WorkloadYaml.Make();
        int start = yaml.IndexOf("  disk: {", StringComparison.Ordinal), end = yaml.IndexOf('\n', start);
        yaml = yaml.Remove(start, end - start + 1);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "w.yaml"));
        Assert.Contains("operations do disk I/O but there is no devices.disk", e.Message);
    }
}
