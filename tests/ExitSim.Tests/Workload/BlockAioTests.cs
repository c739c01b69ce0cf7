using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Workload;

/// <summary>QEMU's block AIO engines (-drive aio=): completions through the AioContext's thread, and aio=threads' worker pool.</summary>
public class BlockAioTests
{
    private static RunReport Report(string yaml) => ReportBuilder.Build(ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml")));

    /// <summary>One disk request at a time from one client, a disk-only workload on an IOThread.</summary>
    private static string Light(string extra, int clients = 1, string think = "exp(300us)", int channels = 8) =>
        WorkloadYaml.Make(rx: 0, tx: 0, clients: clients, think: think, compute: "exp(10us)", backend: "const(50us)", channels: channels,
            diskExtra: ", dataplane: iothread" + extra);

    [Fact]
    public void A_threads_request_waits_for_a_sleeping_pool_worker_and_native_does_not()
    {
        // At this light load every pool worker is asleep when a request comes: aio=threads pays the worker's wake-up
        // (interrupts.wake, 6 µs mean here) before the storage starts; aio=native submits from the IOThread itself.
        const string complete = ", complete: const(1us), poll_max: 0ns";
        var threads = Report(Light(", aio: threads" + complete)).Workload!.StorageLatency;
        var native = Report(Light(", aio: native" + complete)).Workload!.StorageLatency;
        double extra = threads.P50Ns - native.P50Ns;
        Assert.InRange(extra, 3_000, 10_000);
    }

    [Fact]
    public void Completions_pass_the_iothread_which_polling_keeps_awake()
    {
        // With an engine the completion goes through the IOThread: it costs complete: and, if the thread sleeps, its
        // wake-up. Polling finds completions that come within the window (a 20 µs storage, a 32 µs window once grown);
        // the gap to the next request is short too: a gap past poll-max-ns would reset the window (poll-shrink 0).
        string yaml(string poll) => Light($", aio: io_uring, complete: const(2us), poll_max: {poll}", clients: 1, think: "const(1us)")
            .Replace("backend: \"const(50us)\"", "backend: \"const(20us)\"");
        var none = Report(Light(", poll_max: 32768ns", think: "const(1us)").Replace("backend: \"const(50us)\"", "backend: \"const(20us)\"")).Workload!.StorageLatency;
        var blocking = Report(yaml("0ns")).Workload!.StorageLatency;
        var polling = Report(yaml("32768ns")).Workload!.StorageLatency;
        Assert.True(blocking.P50Ns > none.P50Ns + 2_000 + 3_000, $"blocking {blocking.P50Ns} vs unmodelled and polling {none.P50Ns}: + complete + a wake-up");
        Assert.True(polling.P50Ns < blocking.P50Ns - 3_000, $"polling {polling.P50Ns} vs blocking {blocking.P50Ns}: no wake-up");
        Assert.InRange(polling.P50Ns - none.P50Ns, 1_000, 3_000);   // only complete: (2 µs) remains, within the histogram's resolution
    }

    [Fact]
    public void The_thread_pool_caps_requests_in_flight_at_64()
    {
        // 256 clients against a storage that serves 256 at once: aio=threads' pool runs at most 64 workers.
        string yaml(string aio) => Light($", aio: {aio}, complete: const(500ns), depth: 256", clients: 256, think: "const(1us)", channels: 256)
            .Replace("backend: \"const(50us)\"", "backend: \"const(1ms)\"");
        var threads = Report(yaml("threads")).Workload!;
        var native = Report(yaml("native")).Workload!;
        Assert.InRange(threads.DiskRequestsPerSecond, 55_000, 66_000);   // 64 / 1 ms
        Assert.True(native.DiskRequestsPerSecond > 1.8 * threads.DiskRequestsPerSecond, $"{native.DiskRequestsPerSecond} vs {threads.DiskRequestsPerSecond}");
    }

    [Theory]
    [InlineData(", aio: native", "routes completions through the front-end thread and needs its time per completion")]
    [InlineData(", complete: const(1us)", "complete: is the front end's time per completion of the AIO engine")]
    [InlineData(", aio: uring, complete: const(1us)", "'aio' must be one of threads, native, io_uring")]
    public void Aio_mistakes_are_located(string extra, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Light(extra), "w.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Matches(@"^w\.yaml:\d+:\d+: ", e.Located);
    }
}
