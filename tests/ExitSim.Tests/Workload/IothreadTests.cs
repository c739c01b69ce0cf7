using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Simulation.Devices;

namespace ExitSim.Tests.Workload;

/// <summary>The disk's dataplanes: QEMU's main loop, IOThreads (one, or several by iothread-vq-mapping) with adaptive polling, vhost-scsi and vhost-user.</summary>
public class IothreadTests
{
    private static RunReport Report(string yaml, params string[] with)
    {
        var s = ScenarioLoader.Parse(yaml, "test.yaml");
        if (with.Length > 0) s = OptimisationCatalog.Apply(s, with);
        return ReportBuilder.Build(ExperimentRunner.Run(s));
    }

    /// <summary>A disk-only workload: many clients, short gaps between requests to the disk.</summary>
    private static string Busy(string diskExtra, int clients = 16, string think = "exp(20us)", string qemu = "5us") =>
        WorkloadYaml.Make(rx: 0, tx: 0, clients: clients, think: think, compute: "exp(10us)", backend: "exp(50us)", channels: 64, diskExtra: diskExtra)
            .Replace("qemu: \"lognormal(mean=5us, cv=0.5)\"", $"qemu: \"lognormal(mean={qemu}, cv=0.5)\"");

    [Fact]
    public void The_window_follows_qemus_adjust_polling_time()
    {
        // util/aio-posix.c adjust_polling_time with poll-grow 0 (= 2) and poll-shrink 0 (= reset): 0 → 4 µs → ×2 up to
        // poll-max-ns; a wait longer than poll-max-ns resets it; a wait within the window leaves it.
        var window = new MeasurementWindow(0, 1e9);
        var p = new AioPoll(32_768);
        Assert.Equal(0, p.Ns);
        double[] expected = [4_000, 8_000, 16_000, 32_000, 32_768];
        double idleFrom = 0;
        foreach (double ns in expected)
        {
            Assert.False(p.Found(idleFrom, idleFrom + p.Ns + 1, window));   // just past the window: missed
            p.Blocked(idleFrom, idleFrom + 32_700, window);                 // block_ns below poll-max-ns: grow
            Assert.Equal(ns, p.Ns);
            idleFrom += 1e6;
        }
        Assert.True(p.Found(idleFrom, idleFrom + 30_000, window));   // within the window: found, kept
        Assert.Equal(32_768, p.Ns);
        p.Blocked(idleFrom, idleFrom + 100_000, window);             // longer than poll-max-ns: reset
        Assert.Equal(0, p.Ns);
    }

    [Fact]
    public void A_polling_iothread_finds_new_requests_without_notifies_at_the_cost_of_host_cpu()
    {
        var polling = Report(Busy(", dataplane: iothread, poll_max: 32768ns")).Workload!;
        var blocking = Report(Busy(", dataplane: iothread, poll_max: 0ns")).Workload!;
        Assert.Equal(0, blocking.PolledAddsPerSecond);
        Assert.Equal(0, blocking.IothreadPolling.Single());
        Assert.True(polling.PolledAddsPerSecond > 0.3 * polling.DiskRequestsPerSecond, $"{polling.PolledAddsPerSecond} of {polling.DiskRequestsPerSecond}");
        double n = polling.NotifiesPerSecond / polling.DiskRequestsPerSecond, b = blocking.NotifiesPerSecond / blocking.DiskRequestsPerSecond;
        Assert.True(n < 0.6 * b, $"notifies per request: polling {n:0.00}, blocking {b:0.00}");
        Assert.True(polling.IothreadPolling.Single() > 0.05, $"polling share {polling.IothreadPolling.Single():0.000}");
    }

    [Fact]
    public void Polling_stops_when_the_gaps_are_longer_than_poll_max()
    {
        // Few clients and long think times: every wait is past poll-max-ns, so the window is reset after each
        // and nearly every request needs its notify again; the CPU spent polling stays small.
        var sparse = Report(Busy(", dataplane: iothread, poll_max: 32768ns", clients: 2, think: "exp(1ms)")).Workload!;
        Assert.True(sparse.NotifiesPerSecond > 0.85 * sparse.DiskRequestsPerSecond, $"{sparse.NotifiesPerSecond} vs {sparse.DiskRequestsPerSecond}");
        Assert.True(sparse.IothreadPolling.Single() < 0.02, $"polling share {sparse.IothreadPolling.Single():0.000}");
    }

    [Fact]
    public void Iothread_vq_mapping_spreads_the_queues_work_over_several_iothreads()
    {
        // 20 µs of QEMU work per request: one IOThread saturates; four share the load round-robin.
        string one = Busy(", queues: 4, dataplane: iothread, poll_max: 0ns", clients: 32, think: "exp(10us)", qemu: "20us");
        var single = Report(one);
        var mapped = Report(one.Replace("dataplane: iothread", "iothreads: 4"));
        Assert.Single(single.Workload!.IothreadUtilisation);
        Assert.True(single.Workload.IothreadUtilisation[0] > 0.9, $"{single.Workload.IothreadUtilisation[0]:0.00}");
        Assert.Equal(4, mapped.Workload!.IothreadUtilisation.Length);
        Assert.All(mapped.Workload.IothreadUtilisation, u => Assert.InRange(u, 0.1, 1.0));   // every thread has work
        Assert.True(mapped.Workload.DiskRequestsPerSecond > 1.5 * single.Workload.DiskRequestsPerSecond,
            $"{mapped.Workload.DiskRequestsPerSecond} vs {single.Workload.DiskRequestsPerSecond}");
        Assert.True(mapped.Workload.StorageLatency.P99Ns < single.Workload.StorageLatency.P99Ns);
    }

    [Fact]
    public void The_main_loop_serves_the_disk_under_the_same_lock_as_the_vcpus_userspace_exits()
    {
        // Without an IOThread the virtio-blk queue is served by QEMU's main loop, which every userspace exit (the
        // e1000's register accesses here) also needs: those exits wait behind the disk's work. An IOThread runs
        // without the BQL, so they stop waiting for it.
        string yaml = WorkloadYaml.Make(nic: "e1000", clients: 16, think: "exp(20us)", compute: "exp(10us)", backend: "exp(50us)", channels: 64)
            .Replace("qemu: \"lognormal(mean=5us, cv=0.5)\"", "qemu: \"lognormal(mean=15us, cv=0.5)\"");
        var mainLoop = Report(yaml).Qemu;
        var iothread = Report(yaml, "iothread").Qemu;
        Assert.True(mainLoop.MeanWaitNs > 2 * iothread.MeanWaitNs, $"{mainLoop.MeanWaitNs} vs {iothread.MeanWaitNs}");
        Assert.True(mainLoop.MaxUtilisation > iothread.MaxUtilisation + 0.1);
    }

    [Fact]
    public void Vhost_scsi_and_vhost_user_take_the_disk_out_of_qemu()
    {
        string yaml = Busy(", vhost: \"lognormal(mean=2us, cv=0.5)\"").Replace("model: virtio-blk", "model: virtio-scsi");
        var scsi = Report(yaml, "vhost-scsi");
        Assert.Single(scsi.Workload!.VhostUtilisation);   // one vhost-scsi worker for the device
        Assert.Empty(scsi.Workload.IothreadUtilisation);
        Assert.Equal(0, scsi.Qemu.MaxUtilisation, 3);
        var user = Report(yaml.Replace("virtio-scsi", "virtio-blk").Replace("}\n  nic", ", poll_max: 32768ns }\n  nic"), "vhost-user-blk");
        Assert.Single(user.Workload!.IothreadUtilisation);  // the daemon's event loop, polling like an IOThread
        Assert.True(user.Workload.PolledAddsPerSecond > 0);
        Assert.Equal(0, user.Qemu.MaxUtilisation, 3);
    }

    [Theory]
    [InlineData("virtio-blk", "", new[] { "vhost-scsi" }, "vhost-scsi serves virtio-scsi but the disk is virtio-blk")]
    [InlineData("virtio-scsi", ", queues: 4", new[] { "iothread-vq-mapping" }, "iothread-vq-mapping, a virtio-blk property")]
    [InlineData("virtio-blk", "", new[] { "iothread-vq-mapping" }, "iothreads: 4 but the disk has 1 queue(s)")]
    [InlineData("virtio-scsi", "", new[] { "vhost-scsi", "iothread" }, "iothread and vhost-scsi each choose who serves the disk's queues: pick one")]
    [InlineData("virtio-blk", ", queues: 4", new[] { "iothread-vq-mapping", "iothread" }, null)]
    public void Impossible_dataplanes_are_refused_in_one_line(string model, string extra, string[] with, string? message)
    {
        var s = ScenarioLoader.Parse(Busy(extra + ", vhost: const(2us)").Replace("model: virtio-blk", $"model: {model}"), "t.yaml");
        if (message is null) { Assert.Equal(4, OptimisationCatalog.Apply(s, with).Devices.Disk!.Iothreads); return; }
        var e = Assert.Throws<OptimisationException>(() => OptimisationCatalog.Apply(s, with));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
