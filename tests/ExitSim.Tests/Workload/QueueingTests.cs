using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Workload;

/// <summary>The workload layer against closed forms: Little's law for the closed loop, M/M/1 for the storage queue.</summary>
public class QueueingTests
{
    [Fact]
    public void A_closed_workload_obeys_littles_law()
    {
        // N clients = X · (R + Z): throughput times (mean response + mean think time).
        var run = ExperimentRunner.Run(ScenarioLoader.Parse(WorkloadYaml.Make(clients: 24, think: "exp(300us)", duration: "1s"), "test.yaml"));
        foreach (var r in run.Replications)
        {
            var w = r.Workload!;
            double x = w.OperationsCompleted / (r.WindowNs / 1e9);
            double response = w.OperationLatencySum / w.OperationsCompleted / 1e9;
            Assert.Equal(24.0, x * (response + 300e-6), 24 * 0.02);
        }
    }

    [Fact]
    public void The_storage_queue_matches_mm1()
    {
        // Open Poisson arrivals, one request each, one exponential channel: storage latency is M/M/1's
        // sojourn 1/(mu - lambda) plus a small fixed overhead (notify, IOThread work, handler; halt polling
        // keeps the idle vCPU's wake-up out of it) and the wake-up of the IOThread worker each kick finds asleep
        // (interrupts.wake, mean 6 µs).
        const double lambda = 5_000, mu = 10_000, workerWake = 6_000;
        string yaml = WorkloadYaml.Make(kind: "open", rate: "5k/s", rx: 0, tx: 0, compute: "const(1us)", channels: 1,
            backend: "exp(100us)", duration: "4s", handler: "const(500ns)", masked: 0, features: "[ept, apicv]", haltPoll: "200us")
            .Replace("qemu: \"lognormal(mean=5us, cv=0.5)\"", "qemu: \"lognormal(mean=2us, cv=0.5)\"");   // the IOThread's work per request
        var s = ExitSim.Optimisations.OptimisationCatalog.Apply(ScenarioLoader.Parse(yaml, "test.yaml"), ["iothread"]);
        var run = ExperimentRunner.Run(s);
        double sojourn = 1e9 / (mu - lambda);
        foreach (var r in run.Replications)
        {
            var h = r.Workload!.StorageLatency;
            // The median of M/M/1's exponential sojourn time is ln 2 / (mu - lambda).
            Assert.Equal(Math.Log(2) * sojourn + workerWake, h.Quantile(0.5), Math.Log(2) * sojourn * 0.06);
            Assert.Equal(-Math.Log(0.01) * sojourn + workerWake, h.Quantile(0.99), -Math.Log(0.01) * sojourn * 0.10);
            Assert.Equal(lambda, r.Workload.DiskRequests / (r.WindowNs / 1e9), lambda * 0.03);
        }
    }

    [Theory]
    [InlineData("virtio-blk", 256)]
    [InlineData("virtio-scsi", 128)]
    public void A_virtio_disk_keeps_as_many_requests_in_flight_as_its_ring_has_slots(string model, int depth)
    {
        // 200 clients, each with one disk request at a time on a 2 ms back end with room for all: virtio-blk with
        // indirect descriptors takes one slot of its 256-entry ring per request (QEMU queue-size 256; Linux
        // virtblk_probe), so none waits for a tag; virtio-scsi is capped at cmd_per_lun = 128 per LUN, so the rest
        // queue in the guest's block layer.
        string yaml = WorkloadYaml.Make(disk: model, clients: 200, think: "const(1us)", compute: "const(1us)", rx: 0, tx: 0,
            backend: "const(2ms)", channels: 1000, duration: "200ms", features: "[ept, apicv]")
            .Replace("qemu: \"lognormal(mean=5us, cv=0.5)\"", "qemu: \"const(500ns)\"");
        var run = ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml"));
        foreach (var r in run.Replications)
        {
            double p50 = r.Workload!.StorageLatency.Quantile(0.5);
            if (depth >= 200) Assert.InRange(p50, 2e6, 2.2e6);
            else Assert.True(p50 > 1.3 * 2e6, $"p50 {p50} ns: 200 requests over {depth} slots wait for tags");   // Little: ≥ 2 ms × 200 / 128
        }
    }

    [Fact]
    public void A_nic_back_end_adds_its_service_to_every_received_request()
    {
        // Light open load, so nothing queues: the NIC path's constant 50 µs shows up 1:1 in the median.
        string yaml = WorkloadYaml.Make(kind: "open", rate: "2k/s", diskIo: 0, tx: 0, compute: "const(20us)", masked: 0, duration: "1s");
        string withWire = yaml.Replace("nic: { model: virtio-net,", "nic: { model: virtio-net, backend: const(50us), channels: 4,");
        Assert.NotEqual(yaml, withWire);
        double P50(string y) => ExperimentRunner.Run(ScenarioLoader.Parse(y, "test.yaml")).Replications
            .Average(r => r.Workload!.OperationLatency.Quantile(0.5));
        Assert.Equal(50_000, P50(withWire) - P50(yaml), 50_000 * 0.05);
    }

    [Fact]
    public void Every_vcpu_accounts_for_the_window_with_halted_time_included()
    {
        foreach (var features in new[] { "[ept]", "[ept, apicv]" })
            foreach (var poll in new[] { "0ns", "200us" })
                foreach (var cores in new[] { 8, 2 })   // 2: more threads than cores, so steal and descheduled polling too
                {
                    string yaml = WorkloadYaml.Make(features: features, haltPoll: poll, disk: "ahci", nic: "e1000").Replace("cores: 8", $"cores: {cores}");
                    var run = ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml"));
                    foreach (var r in run.Replications)
                    {
                        foreach (var v in r.VcpuTime)
                        {
                            Assert.Equal(r.WindowNs, v.Total, r.WindowNs * 1e-9);
                            Assert.True(v.Idle + v.Poll > 0, "these vCPUs idle part of the time");
                            if (poll == "0ns") Assert.Equal(0.0, v.Poll);
                            if (cores == 8) Assert.Equal(0.0, v.Steal);
                        }
                        var h = r.Host;
                        Assert.Equal(cores == 2, h.Contended);
                        Assert.Equal(h.Capacity, h.Guest + h.ExitHandling + h.HostThreads + h.Poll + h.Idle, r.WindowNs * 1e-9);
                        Assert.True(h.Idle >= -0.01 * h.Capacity, $"idle {h.Idle / h.Capacity:P2} of the cores");
                        if (cores == 2) Assert.True(r.Time.Steal > 0);
                    }
                }
    }
}
