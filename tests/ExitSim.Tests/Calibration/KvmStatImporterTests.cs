using ExitSim.Calibration;
using ExitSim.Calibration.Importers;

using ExitSim.Model;

namespace ExitSim.Tests.Calibration;

public sealed class KvmStatImporterTests
{
    [Fact]
    public void Tui_capture_keeps_tracepoints_as_counters_with_rates()
    {
        var screen = Assert.Single(Fixtures.Import("kvm_stat-tui__martins3-notes-x86-nohz-off-66k-exits.txt"));

        Assert.Equal(MeasurementFormat.KvmStat, screen.Format);
        Assert.Equal("kvm statistics - summary", screen.Title);
        Assert.Empty(screen.Reasons); // tracepoint mode without kvm_exit(...) children
        Assert.Equal(18, screen.Counters.Count);
        Assert.Equal(13988, screen.TotalSamples);
        var exit = screen.Counters.Single(c => c.Name == "kvm_exit");
        Assert.Equal(13988, exit.Count);
        Assert.Equal(66300, exit.RatePerSecond);
        Assert.Equal(6985, screen.Counters.Single(c => c.Name == "kvm_msr").Count);
        Assert.Null(screen.IntervalSeconds);
        Assert.Empty(screen.SkippedLines);
    }

    [Fact]
    public void Old_debugfs_layout_maps_exit_counters_to_reasons()
    {
        var screen = Assert.Single(Fixtures.Import("kvm_stat-debugfs-old__fleming-2016-perf-probe-blog.txt"));

        Assert.Equal(705_683_003, screen.TotalSamples);
        Assert.Equal(["EXTERNAL_INTERRUPT", "IO_INSTRUCTION", "HLT", "INTERRUPT_WINDOW", "EPT_MISCONFIG"], screen.Reasons.Select(r => r.Name));
        Assert.Equal(443_033_416, screen.Reason("EXTERNAL_INTERRUPT").Count);
        Assert.Equal("irq_exits", screen.Reason("EXTERNAL_INTERRUPT").SourceName);
        Assert.Equal(15_393_558, screen.Reason("IO_INSTRUCTION").Count);
        Assert.Equal(204_769, screen.Reason("HLT").Count);
        Assert.Equal(14, screen.Reason("EPT_MISCONFIG").Count);
        Assert.Equal(ExitPath.Userspace, screen.Reason("EPT_MISCONFIG").Path);
        Assert.Equal(17, screen.Counters.Count);
        Assert.Equal(27294, screen.Counters.Single(c => c.Name == "pf_fixed").Count);
        Assert.Null(screen.Vendor); // debugfs counter names are not vendor evidence
        Assert.Empty(screen.SkippedLines);
    }

    [Fact]
    public void Synthetic_csv_log_has_the_documented_shape()
    {
        // SYNTHETIC fixture: only its layout is real, so only the shape is asserted.
        var log = Assert.Single(Fixtures.Import("kvm_stat-log-csv__SYNTHETIC-from-source-format.txt"));

        Assert.Equal(7, log.Counters.Count);
        Assert.Empty(log.Reasons);
        Assert.Equal(2, log.IntervalSeconds); // two 1-second rows
        Assert.Equal(3, log.Counters[0].SourceLine);
        Assert.Equal(["kvm_entry", "kvm_exit", "kvm_fast_mmio", "kvm_halt_poll_ns", "kvm_msr", "kvm_userspace_exit", "kvm_vcpu_wakeup"],
            log.Counters.Select(c => c.Name));
        Assert.Equal(log.Counters.Single(c => c.Name == "kvm_exit").Count, log.TotalSamples);
    }

    [Fact]
    public void Child_rows_filter_row_and_a_stray_character()
    {
        const string text = """
            kvm statistics - pid 1234 (qemu-system-x86)
                             regex filter: exit
             Event                                         Total %Total CurAvg/s
             kvm_exit                                     238130    8.3     4419
               kvm_exit(EPT_VIOLATION)                    124281   52.2     2374
               kvm_exit(HLT)                         G    112549   47.3     2028
               kvm_exit(IO_INSTRUCTION)                      723    0.3
             kvm_userspace_exit                             1484    0.0       15
               kvm_userspace_exit(MMIO)                     1484  100.0       15
             Total                                       5654130           50980

            """;

        var screen = Assert.Single(MeasurementImporter.ImportText(text, "kvm_stat.txt"));

        Assert.Equal("kvm statistics - pid 1234 (qemu-system-x86)", screen.Title);
        Assert.Equal(["EPT_VIOLATION", "HLT", "IO_INSTRUCTION"], screen.Reasons.Select(r => r.Name));
        Assert.Equal(112549, screen.Reason("HLT").Count);
        Assert.Equal(2028, screen.Reason("HLT").RatePerSecond);
        Assert.Equal(0, screen.Reason("IO_INSTRUCTION").RatePerSecond); // blank CurAvg/s means 0
        Assert.Equal("kvm_exit(HLT)", screen.Reason("HLT").SourceName);
        Assert.Equal(238130, screen.TotalSamples);
        Assert.Equal(Vendor.Intel, screen.Vendor);
        Assert.Equal(["kvm_exit", "kvm_userspace_exit", "kvm_userspace_exit(MMIO)"], screen.Counters.Select(c => c.Name));
        Assert.Contains(screen.Notes, n => n.Contains("regex filter 'exit'", StringComparison.Ordinal));
        Assert.Contains(screen.Notes, n => n.Contains("line 6: ignored stray", StringComparison.Ordinal));
        Assert.Empty(screen.SkippedLines);
    }

    [Fact]
    public void Batch_output_gives_counts_and_one_second_rates()
    {
        const string text = """
            kvm_entry                                      5100       510
            kvm_exit                                       5000       500
            kvm_exit(EXTERNAL_INTERRUPT)                   1000       100
            kvm_exit(MSR_WRITE)                            4000       400

            """;

        var batch = Assert.Single(MeasurementImporter.ImportText(text, "batch.txt"));

        Assert.Equal(MeasurementFormat.KvmStat, batch.Format);
        Assert.Equal(["EXTERNAL_INTERRUPT", "MSR_WRITE"], batch.Reasons.Select(r => r.Name));
        Assert.Equal(4000, batch.Reason("MSR_WRITE").Count);
        Assert.Equal(400, batch.Reason("MSR_WRITE").RatePerSecond);
        Assert.Equal(5000, batch.TotalSamples);
        Assert.Null(batch.IntervalSeconds);
    }

    [Fact]
    public void Log_output_sums_rows_across_reprinted_banners()
    {
        var banner = "kvm_exit kvm_exit(HLT) kvm_exit(MSR_WRITE)";
        var rows = Enumerable.Range(0, 25).Select(i => $"2024-01-01 00:00:{i:00} {10,9} {3,9} {7,9}").ToList();
        rows.Insert(20, banner); // kvm_stat -l repeats the banner every 20 rows
        var text = banner + "\n" + string.Join("\n", rows) + "\n";

        var log = Assert.Single(MeasurementImporter.ImportText(text, "log.txt"));

        Assert.Equal(25, log.IntervalSeconds);
        Assert.Equal(75, log.Reason("HLT").Count);
        Assert.Equal(175, log.Reason("MSR_WRITE").Count);
        Assert.Equal(250, log.TotalSamples);
        Assert.Empty(log.SkippedLines);
    }
}
