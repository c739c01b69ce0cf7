using ExitSim.Calibration;
using ExitSim.Calibration.Importers;

using ExitSim.Model;

namespace ExitSim.Tests.Calibration;

public sealed class PerfKvmStatImporterTests
{
    [Fact]
    public void Sysbench_report_reads_every_column_of_a_row()
    {
        var report = Assert.Single(Fixtures.Import("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"));

        Assert.Equal(MeasurementFormat.PerfKvmStat, report.Format);
        Assert.Equal("VM-EXIT", report.Table);
        Assert.Equal("Analyze events for all VMs, all VCPUs:", report.Title);
        Assert.Equal(Vendor.Intel, report.Vendor);
        Assert.Null(report.IntervalSeconds);
        Assert.Equal(9, report.Reasons.Count);
        Assert.Equal(25898, report.TotalSamples);
        Assert.Equal(25898, report.ReasonCountSum);
        Assert.Equal(68_281_638_610, report.TotalTimeNs);

        var msrWrite = report.Reason("MSR_WRITE");
        Assert.Equal(9167, msrWrite.Count);
        Assert.Equal(35.40, msrWrite.SamplesPct);
        Assert.Equal(0.04, msrWrite.TimePct);
        Assert.Equal(450, msrWrite.MinNs);
        Assert.Equal(9_554_940, msrWrite.MaxNs);
        Assert.Equal(3000, msrWrite.MeanNs);
        Assert.Equal(41.94, msrWrite.RelStdErrPct);
        Assert.Equal(6, msrWrite.SourceLine);
        Assert.Equal(30_567_940, report.Reason("HLT").MeanNs);
        Assert.True(report.Reason("HLT").IsIdleTime);
        Assert.Empty(report.SkippedLines);
        Assert.Empty(report.Notes);
    }

    [Fact]
    public void Live_capture_keeps_the_time_stamp_and_sums_to_total()
    {
        var report = Assert.Single(Fixtures.Import("perf-kvm-stat-live__cloudatlas-win10-guest-before-hpet.txt"));

        Assert.StartsWith("15:52:35.709821", report.Title);
        Assert.Equal(10, report.Reasons.Count);
        Assert.Equal(70746, report.TotalSamples);
        Assert.Equal(70746, report.ReasonCountSum);
        var io = report.Reason("IO_INSTRUCTION");
        Assert.Equal(55654, io.Count);
        Assert.Equal(3540, io.MinNs);
        Assert.Equal(74940, io.MaxNs);
        Assert.Equal(13630, io.MeanNs);
        Assert.Equal(0.24, io.RelStdErrPct);
        Assert.Equal(15_227_790, report.Reason("HLT").MaxNs);
    }

    [Fact]
    public void Legacy_3_7_file_gives_one_measurement_per_report()
    {
        var reports = Fixtures.Import("perf-kvm-stat-report__v3.7-era-vmexit-mmio-ioport-vcpu.txt");

        Assert.Equal(["VM-EXIT", "MMIO Access", "IO Port Access", "VM-EXIT"], reports.Select(r => r.Table));
        Assert.Equal([98202L, 65057L, 383L, 10914L], reports.Select(r => r.TotalSamples!.Value));
        Assert.All(reports, r => Assert.Equal(r.TotalSamples, r.ReasonCountSum));
        Assert.Equal([9, 4, 1, 9], reports.Select(r => r.Reasons.Count));

        var vmexit = reports[0];
        Assert.Null(vmexit.Vcpu);
        Assert.Equal(65381, vmexit.Reason("APIC_ACCESS").Count);
        Assert.Equal(37720, vmexit.Reason("APIC_ACCESS").MeanNs);
        Assert.Null(vmexit.Reason("APIC_ACCESS").MinNs); // 3.7 printed no Min/Max columns
        Assert.Equal(6.54, vmexit.Reason("APIC_ACCESS").RelStdErrPct);

        Assert.Equal(720_680, reports[1].Reason("0xfee00300:W").MeanNs);
        Assert.Null(reports[1].Vendor); // mmio keys say nothing about the vendor
        Assert.Equal(383, reports[2].Reason("0xc090:POUT").Count);
        Assert.Equal(0, reports[3].Vcpu);
        Assert.Equal(9_501_720, reports[3].Reason("HLT").MeanNs);
    }

    [Fact]
    public void Reflowed_qemu_devel_runs_keep_the_stated_rows_and_flag_dropped_ones()
    {
        var runs = Fixtures.Import("perf-kvm-stat-report__qemu-devel-2021-hyperv-ipi_reflowed.txt");

        Assert.Equal(5, runs.Count);
        Assert.Equal([2, 4, 4, 4, 6], runs.Select(r => r.Reasons.Count));
        Assert.Equal([787803L, 342788L, 1027227L, 219802L, 255363L], runs.Select(r => r.TotalSamples!.Value));
        // The NOTE in the file: the author dropped rows; run A sums to 710,763 and run B to 336,744.
        Assert.Equal(710_763, runs[0].ReasonCountSum);
        Assert.Equal(336_744, runs[1].ReasonCountSum);
        Assert.All(runs, r => Assert.True(r.ReasonCountSum < r.TotalSamples));
        Assert.All(runs, r => Assert.Contains(r.Notes, n => n.Contains("rows sum to", StringComparison.Ordinal)));
        Assert.Equal(471831, runs[0].Reason("EXTERNAL_INTERRUPT").Count);
        Assert.Equal(686_050, runs[1].Reason("EPT_MISCONFIG").MaxNs);
        Assert.Equal(5540, runs[4].Reason("VMCALL").MeanNs);
    }

    [Fact]
    public void Forty_column_names_with_spaces_escapes_and_unknown_exit_messages()
    {
        const string text =
            "\u001b[H\u001b[2J12:00:01.000001\n" +
            "\n" +
            "Analyze events for pid(s) 4242, VCPU 1:\n" +
            "\n" +
            "                                 VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time \n" +
            "\n" +
            "                                     npf        100    50.00%    60.00%      1.00us     10.00us      3.00us ( +-   2.00% )   \n" +
            "unknown kvm exit code:1234 on SVM\n" +
            "                                 PF excp         60    30.00%    30.00%      0.50us      5.00us      2.50us ( +-   1.50% )\n" +
            "                                 UNKNOWN         40    20.00%    10.00%      0.10us      0.20us      0.15us ( +-   0.00% )\n" +
            "\n" +
            "Total Samples:200, Total events handled time:550.00us.\n" +
            "\n" +
            "Lost events: 3\n";

        var report = Assert.Single(MeasurementImporter.ImportText(text, "live.txt"));

        Assert.Equal(1, report.Vcpu);
        Assert.Equal(Vendor.Amd, report.Vendor);
        Assert.Equal(["npf", "PF excp", "UNKNOWN"], report.Reasons.Select(r => r.Name));
        Assert.Equal(2500, report.Reason("PF excp").MeanNs);
        Assert.Equal(200, report.ReasonCountSum);
        Assert.Equal(3, report.LostEvents);
        Assert.Contains(report.Notes, n => n.Contains("unknown kvm exit code 1234 on SVM", StringComparison.Ordinal));
        Assert.Empty(report.SkippedLines);
    }

    [Fact]
    public void Rel_std_error_converts_to_a_per_sample_cv()
    {
        var report = Assert.Single(Fixtures.Import("perf-kvm-stat-live__cloudatlas-win10-guest-before-hpet.txt"));
        var io = report.Reason("IO_INSTRUCTION");

        // ( +- 0.24% ) over 55,654 samples: cv = 0.0024 · √55654 ≈ 0.566.
        Assert.Equal(0.0024 * Math.Sqrt(55654), io.SampleCv!.Value, 12);
        Assert.Equal(0.566, io.SampleCv!.Value, 3);
        Assert.Equal(0.24, RelativeStandardError.FromCv(io.SampleCv.Value, io.Count), 12);
    }
}
