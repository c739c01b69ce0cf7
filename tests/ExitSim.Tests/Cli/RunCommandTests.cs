using System.Text.Json;

namespace ExitSim.Tests.Cli;

public class RunCommandTests
{
    public static TheoryData<string> Shipped() => new(Repo.ShippedScenarios().Select(p => Path.GetRelativePath(Repo.Root, p)));

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Every_shipped_scenario_runs_end_to_end(string file)
    {
        var r = CliRunner.Run("run", Repo.Path(file), "--duration", "20ms", "--replications", "2");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time", r.Out);
        Assert.Contains("Total Samples:", r.Out);
        Assert.Contains("KPIs", r.Out);
        Assert.Contains("Exit time by phase", r.Out);
        Assert.Equal("", r.Error);
    }

    [Fact]
    public void Json_has_the_documented_fields()
    {
        var r = CliRunner.Run("run", Repo.Path("scenarios", "seed-article", "database.yaml"), "--duration", "20ms", "-r", "3", "--seed", "5", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        foreach (var field in new[] { "scenario", "seed", "replications", "simulated_seconds", "wall_seconds", "exits_total", "exits_per_second", "mean_exit_latency_ns", "guest_time_fraction", "reasons", "kpis" })
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal("seed-database", root.GetProperty("scenario").GetString());
        Assert.Equal(5UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(3, root.GetProperty("replications").GetInt32());
        Assert.Equal(0.02, root.GetProperty("simulated_seconds").GetDouble(), 9);
        var reason = root.GetProperty("reasons")[0];
        foreach (var field in new[] { "name", "path", "samples", "samples_pct", "time_pct", "min_ns", "max_ns", "avg_ns", "stddev_pct", "p99_ns" })
            Assert.True(reason.TryGetProperty(field, out _), $"missing reasons[].{field}");
        var kpi = root.GetProperty("kpis")[0];
        foreach (var field in new[] { "name", "value", "target", "ok" })
            Assert.True(kpi.TryGetProperty(field, out _), $"missing kpis[].{field}");
        long samples = root.GetProperty("reasons").EnumerateArray().Sum(x => x.GetProperty("samples").GetInt64());
        Assert.Equal(root.GetProperty("exits_total").GetInt64(), samples);
    }

    [Fact]
    public void Same_seed_same_output_and_other_seed_other_output()
    {
        string[] args = ["run", Repo.Path("scenarios", "seed-article", "web.yaml"), "--duration", "20ms", "-r", "2", "--format", "csv"];
        var a = CliRunner.Run([.. args, "--threads", "1"]);
        var b = CliRunner.Run([.. args, "--threads", "2"]);
        var c = CliRunner.Run([.. args, "--seed", "2"]);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
        Assert.StartsWith("scenario,optimisations,seed,replications,version,reason,path", a.Out);
    }

    [Fact]
    public void Plot_writes_every_run_chart_and_html_is_one_page()
    {
        string dir = Path.Combine(Path.GetTempPath(), "exitsim-plot-" + Guid.NewGuid().ToString("N"));
        var r = CliRunner.Run("run", Repo.Path("scenarios", "seed-article", "database.yaml"), "--duration", "20ms", "-r", "2", "--plot", dir, "--format", "html");
        Assert.True(r.ExitCode == 0, r.Error);
        var names = Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToArray();
        foreach (var chart in new[] { "exit-time-by-reason", "latency-cdf", "exit-rate-timeline", "vcpu-timeline" })
        {
            Assert.Contains(chart + ".png", names);
            Assert.Contains(chart + ".svg", names);
        }
        Assert.StartsWith("<!DOCTYPE html>", r.Out.TrimStart(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(r.Out, "<svg").Count);
        Assert.DoesNotContain("<script", r.Out);
    }

    [Fact]
    public void Markdown_is_a_table()
    {
        var r = CliRunner.Run("run", Repo.Path("scenarios", "seed-article", "bigdata.yaml"), "--duration", "10ms", "-r", "2", "-f", "markdown");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("| VM-EXIT | Samples |", r.Out);
        Assert.Contains("| KPI | value | target | |", r.Out);
    }

    [Fact]
    public void Out_writes_every_format_and_nothing_on_bad_input()
    {
        string dir = Path.Combine(Path.GetTempPath(), "exitsim-out-" + Guid.NewGuid().ToString("N"));
        var ok = CliRunner.Run("run", Repo.Path("scenarios", "seed-article", "web.yaml"), "--duration", "10ms", "-r", "2", "--out", dir);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(new[] { "seed-web.csv", "seed-web.html", "seed-web.json", "seed-web.md", "seed-web.txt" }, Directory.GetFiles(dir).Select(Path.GetFileName).Order());

        string bad = Path.Combine(Path.GetTempPath(), "exitsim-bad-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(bad, File.ReadAllText(Repo.Path("scenarios", "seed-article", "web.yaml")).Replace("vcpus: 4", "vcpus: four"));
        string dir2 = dir + "-2";
        var r = CliRunner.Run("run", bad, "--out", dir2);
        Assert.Equal(2, r.ExitCode);
        Assert.False(Directory.Exists(dir2));
        Assert.Equal("", r.Out);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Matches(@"^.*\.yaml:\d+:\d+: 'vcpus' must be a whole number, got 'four' \(from 1 to 4096: KVM_MAX_VCPUS\)$", r.Error.TrimEnd());
    }

    [Theory]
    [InlineData(new[] { "run", "scenarios/nope.yaml" }, "scenarios/nope.yaml:1:1: no such file")]
    [InlineData(new[] { "run", "scenarios/seed-article/web.yaml", "--format", "xml" }, "exitsim: --format: unknown format 'xml' (run writes text, markdown, json, csv or html)")]
    [InlineData(new[] { "run", "scenarios/seed-article/web.yaml", "--seed", "abc" }, "exitsim: --seed: expected a whole number")]
    [InlineData(new[] { "run", "scenarios/seed-article/web.yaml", "--duration", "2" }, "exitsim: --duration: '2' has no unit")]
    [InlineData(new[] { "run", "scenarios/seed-article/web.yaml", "-r", "0" }, "exitsim: --replications: expected a whole number of at least 1, got '0'")]
    [InlineData(new[] { "run", "scenarios/seed-article/web.yaml", "--frobnicate" }, "exitsim: Unrecognized command or argument '--frobnicate'")]
    [InlineData(new[] { "fly" }, "exitsim: Unrecognized command or argument 'fly'")]
    public void Bad_usage_is_one_line_and_exit_code_2(string[] args, string message)
    {
        var cwd = Environment.CurrentDirectory;
        Environment.CurrentDirectory = Repo.Root;
        try
        {
            var r = CliRunner.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.StartsWith(message, r.Error);
            Assert.DoesNotContain("   at ", r.Error);
            Assert.Equal("", r.Out);
        }
        finally { Environment.CurrentDirectory = cwd; }
    }

    [Fact]
    public void Saturated_qemu_thread_is_reported_and_the_run_still_ends()
    {
        string file = Path.Combine(Path.GetTempPath(), "exitsim-sat-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(file, """
            name: saturated
            host: { vendor: intel, ghz: 2.0, cores: 8 }
            costs: { save: const(200ns), handle: const(1us), reenter: const(100ns) }
            vm: { vcpus: 8 }
            exits:
              IO_INSTRUCTION: { rate: 100k/s, path: userspace, emulate: exp(20us) }
            run: { duration: 100ms, warmup: 10ms, replications: 2 }
            """);
        var r = CliRunner.Run("run", file, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var qemu = doc.RootElement.GetProperty("qemu");
        Assert.True(qemu.GetProperty("saturated").GetBoolean());
        Assert.True(qemu.GetProperty("max_utilisation").GetDouble() > 0.98);
        Assert.Contains("QEMU thread saturated", doc.RootElement.GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public void Contention_between_vcpus_shows_in_latency()
    {
        string Scenario(string mode) => $$"""
            name: contention
            host: { vendor: intel, ghz: 2.0, cores: 8 }
            costs: { save: const(200ns), handle: const(1us), reenter: const(100ns) }
            vm: { vcpus: 4, qemu_threads: {{mode}} }
            exits:
              IO_INSTRUCTION: { rate: 30k/s, path: userspace, emulate: exp(5us) }
            run: { duration: 100ms, warmup: 10ms, replications: 3 }
            """;
        var shared = ExitSim.Tests.Simulation.Run.Report(Scenario("per-vm"));
        var own = ExitSim.Tests.Simulation.Run.Report(Scenario("per-vcpu"));
        Assert.Equal(0, own.Qemu.MeanWaitNs);
        Assert.True(shared.Qemu.MeanWaitNs > 1000);
        Assert.True(shared.MeanExitLatencyNs > own.MeanExitLatencyNs + 1000);
    }
}
