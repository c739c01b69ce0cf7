using ExitSim.Calibration;
using ExitSim.Calibration.Importers;

namespace ExitSim.Tests.Calibration;

/// <summary>Numbers the grammars match but no real tool prints (beyond 64 bits) are a located problem, never an exception.</summary>
public sealed class OutOfRangeNumberTests
{
    private const string Huge = "99999999999999999999";

    [Theory]
    [InlineData("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt", "9167", 6)]                  // a Samples count
    [InlineData("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt", "Total Samples:25898", 16)] // the footer
    [InlineData("perf-kvm-stat-live__cloudatlas-win10-guest-before-hpet.txt", "55654", 8)]
    [InlineData("kvm_stat-tui__martins3-notes-x86-nohz-off-66k-exits.txt", "6985", 8)]
    [InlineData("kvm_stat-tui__martins3-notes-x86-nohz-off-66k-exits.txt", "33160", 8)]               // CurAvg/s
    [InlineData("bcc-kvmexit__upstream-example-all-threads.txt", "6043", 16)]
    [InlineData("bcc-kvmexit__upstream-example-all-threads.txt", "1273922  EXIT_REASON_CPUID", 15)]    // a TID
    [InlineData("ftrace-kvm__toy-vmm-realmode-2016-pio-userspace-exit.txt", "2323301.154940", 8)]     // a timestamp
    [InlineData("kvm-unit-tests-vmexit__bonzini-2019-nested-before-after.txt", "46747", 6)]
    public void A_number_beyond_64_bits_is_refused_where_it_stands(string fixture, string original, int line)
    {
        var text = File.ReadAllText(Fixtures.PathOf(fixture));
        var replacement = original.Contains(':', StringComparison.Ordinal) ? original.Split(':')[0] + ":" + Huge
            : original.Contains(' ', StringComparison.Ordinal) ? Huge + original[original.IndexOf(' ')..]
            : original.Contains('.', StringComparison.Ordinal) ? Huge + original[original.IndexOf('.')..]
            : Huge;
        var broken = ReplaceFirst(text, original, replacement);
        if (fixture.StartsWith("kvm-unit-tests", StringComparison.Ordinal))
        {
            broken = ReplaceFirst(text, original, new string('9', 400)); // parsed as a double: beyond double's range
        }

        var error = Assert.Throws<CalibrationInputException>(() => MeasurementImporter.ImportText(broken, "x.txt"));

        Assert.Equal(line, error.Line);
        var brokenLine = broken.Split('\n')[line - 1];
        Assert.Equal(brokenLine.IndexOf(fixture.StartsWith("kvm-unit-tests", StringComparison.Ordinal) ? "9999" : Huge, StringComparison.Ordinal) + 1, error.Column);
        Assert.Contains("out of range or malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_perf_time_is_refused_where_it_stands()
    {
        var text = File.ReadAllText(Fixtures.PathOf("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"));

        var error = Assert.Throws<CalibrationInputException>(() => MeasurementImporter.ImportText(ReplaceFirst(text, "3.00us", "3.0.0us"), "x.txt"));

        Assert.Equal(6, error.Line);
        Assert.Contains("Avg time '3.0.0'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_that_would_overflow_when_summed_saturate_instead_of_throwing()
    {
        // 1,100 rows of 2^53, the largest count accepted: their sum is beyond 64 bits.
        var rows = string.Concat(Enumerable.Range(0, 1100).Select(i => $"{"R" + i,20} 9007199254740992     0.09%     0.00%      0.45us      0.50us      0.47us ( +-   1.00% )\n"));
        var text = $"Analyze events for all VMs, all VCPUs:\n\n             VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time\n\n{rows}\nTotal Samples:1, Total events handled time:1.00us.\n";

        var report = Assert.Single(MeasurementImporter.ImportText(text, "x.txt"));

        Assert.Equal(long.MaxValue, report.ReasonCountSum);
        Assert.Contains(report.Notes, n => n.Contains("but Total Samples is 1", StringComparison.Ordinal));
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{what}' is not in the fixture");
        return text[..at] + with + text[(at + what.Length)..];
    }
}
