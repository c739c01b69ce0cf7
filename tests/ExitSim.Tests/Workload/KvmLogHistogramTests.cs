using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Simulation.Idle;

namespace ExitSim.Tests.Workload;

/// <summary>KVM's halt-poll log2 histograms (KVM_GET_STATS_FD: halt_poll_success_hist, halt_poll_fail_hist, halt_wait_hist).</summary>
public class KvmLogHistogramTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.7, 0)]           // the kernel's u64 ns: truncated
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(8191, 13)]
    [InlineData(8192, 14)]
    [InlineData(1 << 29, 30)]
    [InlineData(1 << 30, 31)]
    [InlineData(1e15, 31)]         // capped at the last of 32 buckets
    public void A_value_goes_to_bucket_fls64_capped_at_31(double ns, int bucket) => Assert.Equal(bucket, KvmLogHistogram.Bucket(ns));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_bucket_counts_sum_to_the_counters(bool adaptive)
    {
        var run = ExperimentRunner.Run(ScenarioLoader.Parse(WorkloadYaml.Make(clients: 8, think: "exp(300us)", haltPoll: "200us")
            .Replace("halt_poll: 200us", $"halt_poll: 200us, halt_poll_adaptive: {(adaptive ? "true" : "false")}"), "test.yaml"));
        var s = HaltPollStats.Sum(run.Replications.Select(x => x.Workload!.HaltPoll));
        Assert.Equal(KvmLogHistogram.Buckets, s.HaltPollSuccessHist.Length);
        Assert.True(s.HaltSuccessfulPoll > 100 && s.HaltWakeup > 100, $"{s.HaltSuccessfulPoll} successful polls, {s.HaltWakeup} wake-ups");
        Assert.Equal(s.HaltSuccessfulPoll, s.HaltPollSuccessHist.Sum());
        Assert.Equal(s.HaltAttemptedPoll - s.HaltSuccessfulPoll, s.HaltPollFailHist.Sum());
        Assert.Equal(s.HaltWakeup, s.HaltWaitHist.Sum());
        // A poll never outlasts the 200 µs window: nothing from bucket 19 (2^18 ns = 262 µs) up.
        Assert.Equal(0, s.HaltPollSuccessHist.Skip(19).Sum() + s.HaltPollFailHist.Skip(19).Sum());
    }

    [Fact]
    public void The_histograms_are_in_the_report_text_and_JSON()
    {
        var run = ExperimentRunner.Run(ScenarioLoader.Parse(WorkloadYaml.Make(clients: 2, think: "exp(300us)", haltPoll: "200us", duration: "50ms"), "test.yaml"));
        var report = ExitSim.Reports.ReportBuilder.Build(run);
        string json = ExitSim.Reports.JsonReportFormatter.Format(report);
        Assert.Contains("\"halt_poll_success_hist\": [", json);
        Assert.Contains("\"halt_wait_hist\": [", json);
        Assert.Contains("halt_poll_success_hist ", ExitSim.Reports.PerfTableFormatter.Format(report));
    }
}
