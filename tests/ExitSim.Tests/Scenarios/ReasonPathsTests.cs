using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Scenarios;

/// <summary>A reason taken on several paths (<c>paths:</c>): read, checked with located errors, and written back.</summary>
public sealed class ReasonPathsTests
{
    private const string Head = """
        name: two-paths
        host: { vendor: intel, ghz: 2.0, cores: 4 }
        costs: { save: const(150ns), handle: const(1us), reenter: const(150ns) }
        vm: { vcpus: 1 }
        exits:
        """;

    private static string With(string exits) => Head + "\n" + exits + "\nrun: { duration: 10ms, warmup: 1ms, replications: 2, seed: 3 }\n";

    private const string TwoPaths = """
          IO_INSTRUCTION:
            reenter: const(200ns)
            paths:
              kernel:
                rate: 1.2k/s
                handle: const(700ns)
              userspace:
                rate: 38k/s
                emulate: const(1us)
        """;

    [Fact]
    public void Each_path_has_its_own_occurrence_and_costs_over_the_reasons_defaults()
    {
        var s = ScenarioLoader.Parse(With(TwoPaths), "s.yaml");
        var e = Assert.Single(s.Exits);
        Assert.Null(e.Occurrence);
        Assert.True(e.Occurs);
        Assert.Equal([ExitPath.Kernel, ExitPath.Userspace], e.Paths.Select(p => p.Path));
        Assert.Equal(1200, e.Paths[0].Occurrence.Rate);
        Assert.Equal(38_000, e.Paths[1].Occurrence.Rate);
        Assert.Equal("const(700ns)", e.Paths[0].Costs.Handle!.Format());
        Assert.Null(e.Paths[1].Costs.Handle);
        Assert.Equal("const(200ns)", e.Costs.Reenter!.Format());
        Assert.Equal((9, 12), (e.Paths[0].Line, e.Paths[1].Line));
    }

    [Fact]
    public void Writing_and_reading_back_gives_the_same_scenario()
    {
        var s = ScenarioLoader.Parse(With(TwoPaths), "s.yaml");
        string yaml = ScenarioWriter.Write(s);
        Assert.Contains("    paths:\n      kernel:\n        rate: 1.2k/s", yaml);
        Assert.Equal(s, ScenarioLoader.Parse(yaml, "s.yaml"));
        // The property the round trip relies on: a different rate on one path is a different scenario.
        Assert.NotEqual(s, ScenarioLoader.Parse(With(TwoPaths.Replace("38k/s", "39k/s")), "s.yaml"));
    }

    [Theory]
    [InlineData("    rate: 5k/s\n    paths: { kernel: { rate: 1k/s } }", 7, 11, "has paths:, so its rate (or interval) and path go under each path")]
    [InlineData("    paths: { kernal: { rate: 1k/s } }", 7, 14, "'path' must be one of kernel, userspace, got 'kernal' (did you mean 'kernel'?)")]
    [InlineData("    paths: { kernel: { handle: const(1us) } }", 7, 14, "the kernel path of IO_INSTRUCTION needs its own rate or interval")]
    [InlineData("    paths: { userspace: { rate: 1k/s } }", 7, 14, "the userspace path of IO_INSTRUCTION has no emulate cost")]
    [InlineData("    paths: { kernel: { rate: 1k/s, emulate: const(1us) } }", 7, 45, "a kernel path has no emulate phase")]
    [InlineData("    paths: { kernel: { rate: 1k/s, rat: 2k/s } }", 7, 36, "unknown key 'rat'")]
    [InlineData("    paths: {}", 7, 12, "'paths' needs at least one of kernel: or userspace:")]
    [InlineData("    paths: [kernel]", 7, 12, "must be a mapping")]
    public void Mistakes_get_one_located_line(string body, int line, int col, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(With("  IO_INSTRUCTION:\n" + body), "s.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Equal((line, col), (e.Line, e.Column));
        Assert.DoesNotContain("\n", e.Located);
    }
}
