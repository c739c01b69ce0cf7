using System.Globalization;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Tests.Plots;

namespace ExitSim.Tests.Cli;

/// <summary>
/// The ftrace export is written while replication 0 runs, holding only the lines that may still have an
/// earlier one to come: the file is exactly the fully sorted one, and a long export runs in bounded memory.
/// </summary>
public class TraceStreamingTests
{
    public static TheoryData<string> Scenarios() => new(
        new[] { "database.yaml", "web.yaml", "classroom/03-interrupts.yaml", "classroom/05-interrupts.yaml", "capacity-hosts.yaml" });

    private static string Export(Scenario s, int drainEvery)
    {
        var model = ModelBuilder.Build(s);
        var w = new StringWriter();
        var sink = new FtraceSink(w, model, s.Name, s.Run.Seed, drainEvery);
        new Replication(model, s.Run.Seed, 0, sink).Run();
        sink.Finish();
        return w.ToString();
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_streamed_trace_is_the_fully_sorted_one(string file)
    {
        var s = ExperimentRunner.Apply(ScenarioLoader.LoadFile(Repo.Path("scenarios", file)), new RunOptions { DurationNs = 30e6 });
        string streamed = Export(s, 64), sorted = Export(s, int.MaxValue);
        Assert.Equal(sorted, streamed);
        // And in time order, as trace-cmd prints (and calibrate requires).
        var stamps = streamed.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => double.Parse(l[(l.IndexOf("] d.... ", StringComparison.Ordinal) + 8)..l.IndexOf(": ", l.IndexOf("] d.... ", StringComparison.Ordinal), StringComparison.Ordinal)], CultureInfo.InvariantCulture))
            .ToArray();
        Assert.True(stamps.Length > 1000, $"{stamps.Length} lines");
        for (int i = 1; i < stamps.Length; i++) Assert.True(stamps[i] >= stamps[i - 1], $"line {i}: {stamps[i]} after {stamps[i - 1]}");
        Assert.EndsWith($"# {stamps.Length} lines\n", streamed);
    }

    [SkippableFact]
    public void A_long_export_runs_in_bounded_memory()
    {
        Skip.IfNot(File.Exists(Path.Combine(AppContext.BaseDirectory, "exitsim.dll")), "the exitsim binary is not next to the tests");
        Skip.IfNot(File.Exists("/dev/null"), "no /dev/null to write the trace through");
        // 2 s of the database scenario is about 3 million lines (450 MB of text): kept in memory, as the
        // export used to, it needs well over a gigabyte; streamed, the heap limit of 192 MB is plenty.
        using var dir = new TempDir();
        var r = ExitsimProcess.Run(dir.Path, 192L << 20, TimeSpan.FromMinutes(10),
            "run", Repo.Path("scenarios", "seed-article", "database.yaml"), "--duration", "2s", "-r", "1", "--threads", "1", "--export-trace", "/dev/null");
        Assert.False(r.TimedOut, "timed out");
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Error}");
    }
}
