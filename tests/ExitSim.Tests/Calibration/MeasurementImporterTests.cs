using ExitSim.Calibration;
using ExitSim.Calibration.Importers;

namespace ExitSim.Tests.Calibration;

public sealed class MeasurementImporterTests
{
    public static TheoryData<string, MeasurementFormat> FixtureFormats => new()
    {
        { "bcc-kvmexit__upstream-example-all-threads.txt", MeasurementFormat.BccKvmexit },
        { "ftrace-kvm__seanjc-2024-nested-ept-violation-newfmt.txt", MeasurementFormat.Ftrace },
        { "ftrace-kvm__toy-vmm-realmode-2016-pio-userspace-exit.txt", MeasurementFormat.Ftrace },
        { "kvm-unit-tests-vmexit__bonzini-2019-nested-before-after.txt", MeasurementFormat.KvmUnitTests },
        { "kvm_stat-debugfs-old__fleming-2016-perf-probe-blog.txt", MeasurementFormat.KvmStat },
        { "kvm_stat-log-csv__SYNTHETIC-from-source-format.txt", MeasurementFormat.KvmStat },
        { "kvm_stat-tui__martins3-notes-x86-nohz-off-66k-exits.txt", MeasurementFormat.KvmStat },
        { "perf-kvm-stat-live__cloudatlas-win10-guest-before-hpet.txt", MeasurementFormat.PerfKvmStat },
        { "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt", MeasurementFormat.PerfKvmStat },
        { "perf-kvm-stat-report__qemu-devel-2021-hyperv-ipi_reflowed.txt", MeasurementFormat.PerfKvmStat },
        { "perf-kvm-stat-report__v3.7-era-vmexit-mmio-ioport-vcpu.txt", MeasurementFormat.PerfKvmStat },
        { "real-host-nested-pvm/ftrace-kvm-events-no-kvm_exit.txt", MeasurementFormat.Ftrace },
    };

    /// <summary>Fixtures that are not the output of a tool calibrate reads (the probe uses them).</summary>
    private static readonly string[] NotMeasurements = ["real-host-nested-pvm/kvm-binary-stats-names-and-deltas.txt"];

    /// <summary>The perf reports whose rows are all there (the reflowed qemu-devel file's NOTE says its author dropped rows).</summary>
    private static readonly string[] CompletePerf =
    [
        "perf-kvm-stat-live__cloudatlas-win10-guest-before-hpet.txt",
        "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt",
        "perf-kvm-stat-report__v3.7-era-vmexit-mmio-ioport-vcpu.txt",
    ];

    public static TheoryData<string> CompletePerfReports => new(CompletePerf);

    [Fact]
    public void Every_fixture_is_listed_here()
    {
        Assert.Equal(Fixtures.All(), FixtureFormats.Select(row => (string)row[0]).Concat(NotMeasurements).Order(StringComparer.Ordinal));
        Assert.Equal(
            FixtureFormats.Where(row => (MeasurementFormat)row[1] == MeasurementFormat.PerfKvmStat && !((string)row[0]).Contains("_reflowed", StringComparison.Ordinal))
                .Select(row => (string)row[0]),
            CompletePerf);
    }

    [Theory]
    [InlineData("real-host-nested-pvm/kvm-binary-stats-names-and-deltas.txt")]
    public void Files_of_no_supported_tool_are_refused_with_a_located_line(string fixture)
    {
        var error = Assert.Throws<CalibrationInputException>(() => Fixtures.Import(fixture));
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("not a recognised measurement format", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FixtureFormats))]
    public void Every_fixture_is_detected_and_parses_without_skipped_lines(string fixture, MeasurementFormat format)
    {
        var text = File.ReadAllText(Fixtures.PathOf(fixture));
        Assert.Equal(format, MeasurementImporter.Detect(text).Format);

        var measurements = Fixtures.Import(fixture);

        Assert.NotEmpty(measurements);
        Assert.All(measurements, m =>
        {
            Assert.Equal(format, m.Format);
            Assert.Equal(Fixtures.PathOf(fixture), m.SourcePath);
            Assert.Empty(m.SkippedLines);
        });
        // Asking for the format by name gives the same result as detection.
        Assert.Equal(measurements.Count, MeasurementImporter.Import(Fixtures.PathOf(fixture), format.Name()).Count);
    }

    [Theory]
    [MemberData(nameof(CompletePerfReports))]
    public void Complete_perf_reports_sum_to_total_samples(string fixture)
    {
        var reports = Fixtures.Import(fixture);

        Assert.NotEmpty(reports);
        Assert.All(reports, m =>
        {
            Assert.NotNull(m.TotalSamples);
            Assert.Equal(m.TotalSamples, m.ReasonCountSum);
        });
    }

    [Fact]
    public void Garbage_is_not_a_recognised_format()
    {
        var error = Assert.Throws<CalibrationInputException>(() =>
            MeasurementImporter.ImportText("# SOURCE: notes\nhello world\nthis is not a trace\n", "trace.txt"));

        Assert.Equal(2, error.Line);
        Assert.Equal(1, error.Column);
        Assert.StartsWith("trace.txt:2:1: not a recognised measurement format (expected perf kvm stat, kvm_stat, ftrace/trace-cmd, bcc kvmexit, or kvm-unit-tests vmexit output)", error.Message);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        var (error, path) = ImportFileExpectingError([]);

        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("empty file", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void File_with_only_comments_is_refused()
    {
        var error = Assert.Throws<CalibrationInputException>(() => MeasurementImporter.ImportText("# SOURCE: x\n# NOTE: y\n", "c.txt"));

        Assert.Equal(2, error.Line);
        Assert.Contains("only comment lines", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_file_with_nul_bytes_is_refused_at_the_first_nul()
    {
        var (error, _) = ImportFileExpectingError([.. "kvm statistics\nab"u8, 0, 1, 2, 3]);

        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.Contains("binary data (NUL byte)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_file_with_invalid_utf8_is_refused()
    {
        var (error, _) = ImportFileExpectingError([.. "x\ny\nzz"u8, 0xFF, 0xFE, 0x41]);

        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Contains("invalid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_comments_are_not_binary()
    {
        // The fixture comments hold Chinese titles; multi-byte characters must not look like binary data.
        Assert.NotEmpty(Fixtures.Import("kvm_stat-tui__martins3-notes-x86-nohz-off-66k-exits.txt"));
    }

    [Fact]
    public void Perf_report_cut_mid_row_is_truncated()
    {
        var lines = File.ReadAllLines(Fixtures.PathOf("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"));
        var cut = string.Join("\n", lines.Take(8)) + "\n" + lines[8][..40]; // line 9 ends mid-row, no newline

        var error = Assert.Throws<CalibrationInputException>(() => MeasurementImporter.ImportText(cut, "cut.txt"));

        Assert.Equal(9, error.Line);
        Assert.Equal(41, error.Column);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Perf_report_without_its_footer_is_truncated()
    {
        var lines = File.ReadAllLines(Fixtures.PathOf("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"));
        var cut = string.Join("\n", lines.Take(10)) + "\n";

        var error = Assert.Throws<CalibrationInputException>(() => MeasurementImporter.ImportText(cut, "cut.txt"));

        Assert.Equal(10, error.Line);
        Assert.Contains("without its 'Total Samples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kvm_stat_screen_without_total_row_is_truncated()
    {
        var lines = File.ReadAllLines(Fixtures.PathOf("kvm_stat-tui__martins3-notes-x86-nohz-off-66k-exits.txt"));
        var cut = string.Join("\n", lines.Take(12)) + "\n";

        var error = Assert.Throws<CalibrationInputException>(() => MeasurementImporter.ImportText(cut, "kvm_stat.txt"));

        Assert.Equal(12, error.Line);
        Assert.Contains("without its 'Total' row", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_cut_mid_line_is_truncated()
    {
        var text = File.ReadAllText(Fixtures.PathOf("ftrace-kvm__seanjc-2024-nested-ept-violation-newfmt.txt"));
        var cut = text[..(text.IndexOf("kvm_exit: vcpu 0 reason EPT_VIOLATION", StringComparison.Ordinal) + 20)];

        var error = Assert.Throws<CalibrationInputException>(() => MeasurementImporter.ImportText(cut, "trace.txt"));

        Assert.Equal(6, error.Line);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partially_recognised_file_lists_its_skipped_lines()
    {
        var text = File.ReadAllText(Fixtures.PathOf("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"))
            .Replace("         EOI_INDUCED", "[mail client mangled this row]\n         EOI_INDUCED", StringComparison.Ordinal);

        var report = Assert.Single(MeasurementImporter.ImportText(text, "mangled.txt"));

        var skipped = Assert.Single(report.SkippedLines);
        Assert.Equal(new SkippedLine(13, "[mail client mangled this row]"), skipped);
        Assert.Equal(9, report.Reasons.Count);
    }

    [Fact]
    public void Forcing_the_wrong_format_says_what_was_expected()
    {
        var error = Assert.Throws<CalibrationInputException>(() =>
            Fixtures.Import("bcc-kvmexit__upstream-example-all-threads.txt", MeasurementFormat.PerfKvmStat));

        Assert.Equal(3, error.Line);
        Assert.Contains("no perf kvm stat data found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_names_round_trip()
    {
        Assert.All(Enum.GetValues<MeasurementFormat>(), f =>
        {
            Assert.True(MeasurementFormatNames.TryParse(f.Name(), out var parsed));
            Assert.Equal(f, parsed);
        });
        Assert.True(MeasurementFormatNames.TryParse("trace-cmd", out var traceCmd));
        Assert.Equal(MeasurementFormat.Ftrace, traceCmd);
        Assert.False(MeasurementFormatNames.TryParse("excel", out _));
        Assert.Throws<ArgumentException>(() => MeasurementImporter.Import(Fixtures.PathOf("bcc-kvmexit__upstream-example-all-threads.txt"), "excel"));
    }

    private static (CalibrationInputException Error, string Path) ImportFileExpectingError(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"exitsim-{Guid.NewGuid():N}.txt");
        File.WriteAllBytes(path, bytes);
        try
        {
            return (Assert.Throws<CalibrationInputException>(() => MeasurementImporter.Import(path)), path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
