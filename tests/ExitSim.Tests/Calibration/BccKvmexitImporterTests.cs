using ExitSim.Calibration;
using ExitSim.Calibration.Importers;

using ExitSim.Model;

namespace ExitSim.Tests.Calibration;

public sealed class BccKvmexitImporterTests
{
    [Fact]
    public void Upstream_example_gives_one_measurement_per_invocation()
    {
        var runs = Fixtures.Import("bcc-kvmexit__upstream-example-all-threads.txt");

        Assert.Equal(2, runs.Count);
        var interrupted = runs[0];
        Assert.Null(interrupted.IntervalSeconds); // stopped with Ctrl-C
        Assert.Equal(5, interrupted.Reasons.Count);
        var first = interrupted.Reasons[0]; // "^C1273551  1273568  EXIT_REASON_HLT  12"
        Assert.Equal("HLT", first.Name);
        Assert.Equal("EXIT_REASON_HLT", first.SourceName);
        Assert.Equal(12, first.Count);
        Assert.Equal(1273551, first.Pid);
        Assert.Equal(1273568, first.Tid);
        Assert.Equal(5, first.SourceLine);

        var timed = runs[1];
        Assert.Equal(6, timed.IntervalSeconds);
        Assert.Equal(18, timed.Reasons.Count);
        Assert.Equal(25183, timed.ReasonCountSum);
        Assert.Equal(15025, timed.Reasons.Single(r => r.Name == "MSR_WRITE" && r.Tid == 1273922).Count);
        Assert.Equal(Vendor.Intel, timed.Vendor);
        Assert.Null(timed.TotalSamples);
        Assert.All(runs, r => Assert.Empty(r.SkippedLines));
    }

    [Fact]
    public void Tid_collapsed_and_mean_time_modes()
    {
        const string text = """
            Display kvm exit reasons and statistics for TIDS ['1001', '1002'] after sleeping 2 secs.
            TIDS     KVM_EXIT_REASON                     COUNT
            1001     HLT                                 30
            1002     MSR_WRITE                           70
            Display kvm exit reasons and statistics for PID 1000 after sleeping 3 secs.
            KVM_EXIT_REASON                     COUNT
            MSR_WRITE                           700
            HLT                                 300
            Display kvm exit reasons and statistics for PID 1000 and its all threads after sleeping 1 secs.
            TID      KVM_EXIT_REASON                     COUNT    EXIT_TIME_AVG
            1001     EPT_MISCONFIG                       12       2450
            """;

        var runs = MeasurementImporter.ImportText(text, "kvmexit.txt");

        Assert.Equal([2.0, 3.0, 1.0], runs.Select(r => r.IntervalSeconds!.Value));
        Assert.Equal(1002, runs[0].Reason("MSR_WRITE").Tid);
        Assert.Null(runs[0].Reason("MSR_WRITE").Pid);
        Assert.Equal(700, runs[1].Reason("MSR_WRITE").Count);
        Assert.Null(runs[1].Reason("MSR_WRITE").Tid);
        Assert.Equal(2450, runs[2].Reason("EPT_MISCONFIG").MeanNs);
        Assert.Equal(MeasurementFormat.BccKvmexit, MeasurementImporter.Detect(text).Format);
    }
}
