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
        var r = CliRunner.Run("trace", Repo.Path(file), "--vcpu", "1", "--from", "210ms", "--until", "210.2ms");
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#') && !l.TrimStart().StartsWith("time")).ToArray();
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Contains(" exit "));
        // Each segment starts where the previous one ended.
        var starts = lines.Select(l => double.Parse(l.Trim().Split(' ')[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(starts.Zip(starts.Skip(1)).All(p => p.Second >= p.First));
        var percents = Regex.Matches(r.Out.Split('\n').Single(l => l.StartsWith("# totals")), @"\(([0-9.]+)%\)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(100, percents.Sum(), 1.0);
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
