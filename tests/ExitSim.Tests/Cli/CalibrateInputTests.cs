using System.Text.RegularExpressions;
using ExitSim.Calibration.Importers;

namespace ExitSim.Tests.Cli;

/// <summary>calibrate on input that is not a measurement, or when interrupted: exit 2 (or 130) with one located line, nothing written.</summary>
public sealed partial class CalibrateInputTests
{
    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("exitsim-calin").FullName, name);

    private static void RefusedWithOneLine(CliRunner.Result r, string input, string output, string what)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Matches($@"^{Regex.Escape(input)}:\d+:\d+: ", r.Error);
        Assert.Contains(what, r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_directory_is_not_a_measurement_file()
    {
        string dir = Directory.CreateTempSubdirectory("exitsim-dir").FullName, output = Temp("out.yaml");
        RefusedWithOneLine(CliRunner.Run("calibrate", dir, "-o", output), dir, output, ":1:1: is a directory");
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string input = Temp("no-such-trace.txt"), output = Temp("out.yaml");
        RefusedWithOneLine(CliRunner.Run("calibrate", input, "-o", output), input, output, ":1:1: no such file");
    }

    [Fact]
    public void A_number_beyond_64_bits_is_located()
    {
        string input = Temp("perf.txt"), output = Temp("out.yaml");
        File.WriteAllText(input, File.ReadAllText(Repo.Path("tests", "fixtures", "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"))
            .Replace("  9167 ", "  99999999999999999999 ", StringComparison.Ordinal));
        RefusedWithOneLine(CliRunner.Run("calibrate", input, "--interval", "22.66s", "-o", output), input, output, ":6:28: Samples '99999999999999999999' is out of range");
    }

    [Fact]
    public void A_trace_concatenated_twice_is_located()
    {
        string input = Temp("twice.txt"), output = Temp("out.yaml");
        var toy = File.ReadAllText(Repo.Path("tests", "fixtures", "ftrace-kvm__toy-vmm-realmode-2016-pio-userspace-exit.txt"));
        File.WriteAllText(input, toy + toy);
        RefusedWithOneLine(CliRunner.Run("calibrate", input, "-o", output), input, output, ":32:35: time 2323301.150469 is before the previous event");
    }

    [SkippableFact]
    public void An_endless_device_is_refused_before_it_is_read()
    {
        Skip.IfNot(File.Exists("/dev/urandom"), "no /dev/urandom on this system");
        string output = Temp("out.yaml");
        var r = CliRunner.Run("calibrate", "/dev/urandom", "-o", output);
        RefusedWithOneLine(r, "/dev/urandom", output, ":1:1: is a character device, not a measurement file");
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        string input = Temp("huge.txt"), output = Temp("out.yaml");
        using (var f = File.Create(input)) f.SetLength(SourceReader.MaxBytes + 1); // sparse: takes no disk space
        RefusedWithOneLine(CliRunner.Run("calibrate", input, "-o", output), input, output, ":1:1: more than 256 MiB: calibrate reads at most that much");
    }

    [Fact]
    public void An_endless_stream_of_short_lines_is_refused_at_the_line_limit()
    {
        string input = Temp("yes.txt"), output = Temp("out.yaml");
        File.WriteAllText(input, string.Concat(Enumerable.Repeat("y\n", SourceReader.MaxLines + 1))); // what `yes` prints: 8 MB
        RefusedWithOneLine(CliRunner.Run("calibrate", input, "-o", output), input, output, $":{SourceReader.MaxLines + 1}:1: more than 4,000,000 lines");
    }

    [Fact]
    public void Ctrl_c_writes_nothing_and_keeps_the_old_output()
    {
        string output = Temp("out.yaml");
        File.WriteAllText(output, "previous\n");
        using var interrupted = new CancellationTokenSource();
        interrupted.Cancel();

        var r = CliRunner.Run(interrupted.Token, "calibrate", Repo.Path("tests", "fixtures", "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"),
            "--interval", "22.66s", "--vcpus", "4", "-o", output);

        Assert.Equal(130, r.ExitCode);
        Assert.Contains("interrupted; nothing was written", r.Error, StringComparison.Ordinal);
        Assert.Equal("previous\n", File.ReadAllText(output));
    }
}
