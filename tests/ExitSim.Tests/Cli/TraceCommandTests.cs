using System.Globalization;
using System.Text.RegularExpressions;

namespace ExitSim.Tests.Cli;

public class TraceCommandTests
{
    public static TheoryData<string> Shipped() => RunCommandTests.Shipped();

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Trace_works_on_every_shipped_scenario_and_its_segments_tile_the_window(string file)
    {
        var r = CliRunner.Run("trace", Repo.Path(file)); // vCPU 0, the first 100 µs after the warm-up
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#') && !l.TrimStart().StartsWith("time")).ToArray();
        Assert.NotEmpty(lines);
        // The guest runs in the window, unless a mostly idle vCPU is halted through all of it (one segment).
        Assert.True(lines.Any(l => l.Contains(" guest ")) || (lines.Length == 1 && lines[0].Contains(" halted ")), string.Join('\n', lines));
        // Each segment starts where the previous one ended.
        var starts = lines.Select(l => double.Parse(l.Trim().Split(' ')[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(starts.Zip(starts.Skip(1)).All(p => p.Second >= p.First));
        var percents = Regex.Matches(r.Out.Split('\n').Single(l => l.StartsWith("# totals")), @"\(([0-9.]+)%\)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(100, percents.Sum(), 1.0);
    }

    [Fact]
    public void Exits_show_their_phases_and_the_queue_they_found()
    {
        var r = CliRunner.Run("trace", Repo.Path("scenarios", "classroom", "02-qemu-and-queues.yaml"), "--vcpu", "2", "--until", "12ms");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(" exit   IO_INSTRUCTION         save ", r.Out);
        Assert.Contains("IO_INSTRUCTION         emulate", r.Out);
        Assert.Matches(@"wait .+\s[1-3]\n", r.Out); // some exit found others ahead of it at the QEMU thread
    }

    [Fact]
    public void Bad_vcpu_or_window_is_exit_code_2()
    {
        Assert.Equal(2, CliRunner.Run("trace", Repo.Path("scenarios", "web.yaml"), "--vcpu", "9").ExitCode);
        Assert.Equal(2, CliRunner.Run("trace", Repo.Path("scenarios", "web.yaml"), "--from", "1s", "--until", "0.5s").ExitCode);
        Assert.Equal(2, CliRunner.Run("trace", Repo.Path("scenarios", "web.yaml"), "--from", "100s").ExitCode);
    }

    [Fact]
    public void Plot_writes_the_gantt_chart()
    {
        string dir = Directory.CreateTempSubdirectory("exitsim-trace").FullName;
        Assert.Equal(0, CliRunner.Run("trace", Repo.Path("scenarios", "database.yaml"), "--plot", dir).ExitCode);
        Assert.True(File.Exists(Path.Combine(dir, "vcpu0-timeline.svg")));
        Assert.True(File.Exists(Path.Combine(dir, "vcpu0-timeline.png")));
    }
}
