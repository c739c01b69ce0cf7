using System.Text.Json;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Explain;

public class ExplainCommandTests
{
    public static TheoryData<string> Scenarios() => new(Repo.ShippedScenarios().Select(f => Path.GetRelativePath(Repo.Root, f)));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Explain_works_on_every_shipped_scenario(string file)
    {
        var r = CliRunner.Run("explain", Repo.Path(file), "-r", "2", "--duration", "30ms");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("", r.Error);
        Assert.Contains("KPIs: ", r.Out);
        Assert.Contains("Where exit time goes", r.Out);
        Assert.Contains("What would help most, simulated", r.Out);
    }

    [Fact]
    public void Json_parses_and_has_the_fields()
    {
        var r = CliRunner.Run("explain", Repo.Path("scenarios", "seed-article", "database.yaml"), "-r", "2", "--duration", "50ms", "--seed", "7", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("seed-database", root.GetProperty("scenario").GetString());
        Assert.Equal(7UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(2, root.GetProperty("replications").GetInt32());
        Assert.Equal(0.05, root.GetProperty("simulated_seconds").GetDouble(), 9);
        Assert.Equal("transaction", root.GetProperty("operation").GetString());
        Assert.True(root.GetProperty("summary").GetProperty("exits_per_second").GetDouble() > 0);
        Assert.Equal(4, root.GetProperty("kpis").GetArrayLength());
        var missed = root.GetProperty("missed_kpis").EnumerateArray().Select(x => x.GetString()).ToArray();
        Assert.Contains("exit rate", missed);
        Assert.Equal(root.GetProperty("kpis").EnumerateArray().Count(k => !k.GetProperty("ok").GetBoolean()), missed.Length);
        var hot = root.GetProperty("hotspots")[0];
        Assert.Equal("EPT_MISCONFIG", hot.GetProperty("reason").GetString());
        Assert.True(hot.GetProperty("time_pct").GetDouble() > 50);
        Assert.NotEqual(0, hot.GetProperty("dominant_phases").GetArrayLength());
        Assert.Equal(5, root.GetProperty("phases").GetArrayLength());
        Assert.Equal("throughput_ops_per_second", root.GetProperty("ranking_metric").GetProperty("name").GetString());
        Assert.True(root.GetProperty("ranking_metric").GetProperty("higher_is_better").GetBoolean());
        var ranking = root.GetProperty("ranking").EnumerateArray().ToArray();
        Assert.NotEmpty(ranking);
        double previous = double.PositiveInfinity;
        foreach (var (x, i) in ranking.Select((x, i) => (x, i)))
        {
            Assert.Equal(i + 1, x.GetProperty("rank").GetInt32());
            Assert.False(string.IsNullOrEmpty(x.GetProperty("summary").GetString()));
            Assert.NotEqual(0, x.GetProperty("optimisations").GetArrayLength());
            var effect = x.GetProperty("effect");
            Assert.Equal("throughput_ops_per_second", effect.GetProperty("metric").GetString());
            double delta = effect.GetProperty("delta_pct").GetDouble();
            Assert.True(delta <= previous);
            previous = delta;
            Assert.True(effect.GetProperty("ci95_pct").GetDouble() >= 0);
            Assert.Contains(x.GetProperty("significant").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.Contains(x.GetProperty("metrics").EnumerateArray(), m => m.GetProperty("metric").GetString() == "exits_per_second");
        }
        var skipped = root.GetProperty("skipped").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("kind").GetString());
        Assert.Equal("not_applicable", skipped["avic"]);
        Assert.Equal("not_applicable", skipped["vhost"]);
        Assert.DoesNotContain(ranking, x => x.GetProperty("name").GetString() is "avic" or "vhost" or "multiqueue");
    }

    [Fact]
    public void Markdown_has_the_ranking_table()
    {
        var r = CliRunner.Run("explain", Repo.Path("scenarios", "seed-article", "ecommerce-db.yaml"), "-r", "2", "--duration", "30ms", "-f", "markdown");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.StartsWith("## seed-ecommerce-db: ", r.Out);
        Assert.Contains("| # | change | throughput (order/s) | 95 % CI |", r.Out);
        Assert.Contains("| 1 | ", r.Out);
        Assert.Contains("- vhost: not applicable: ", r.Out);
    }

    [Fact]
    public void The_same_seed_gives_the_same_output()
    {
        string[] args = ["explain", Repo.Path("scenarios", "seed-article", "web.yaml"), "-r", "2", "--duration", "20ms"];
        Assert.Equal(CliRunner.Run(args).Out, CliRunner.Run(args).Out);
    }

    [Theory]
    [InlineData(new[] { "--replications", "x" }, "exitsim: --replications: expected a whole number of at least 2, got 'x'")]
    [InlineData(new[] { "-r", "1" }, "exitsim: --replications: expected a whole number of at least 2, got '1'")]
    [InlineData(new[] { "--duration", "0s" }, "exitsim: --duration: must be greater than zero")]
    [InlineData(new[] { "--duration", "300cyc" }, "exitsim: --duration: give simulated time in ns, us, ms or s, not cycles")]
    [InlineData(new[] { "--seed", "-1" }, "exitsim: --seed: expected a whole number")]
    [InlineData(new[] { "--format", "csv" }, "exitsim: --format: explain does not write csv (it writes text, markdown or json)")]
    public void Bad_options_are_one_line_and_exit_code_2(string[] args, string message)
    {
        var r = CliRunner.Run(["explain", Repo.Path("scenarios", "seed-article", "web.yaml"), .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(message, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void An_unknown_file_is_one_located_line_and_exit_code_2()
    {
        string missing = Repo.Path("scenarios", "databse.yaml");
        var r = CliRunner.Run("explain", missing);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"{missing}:1:1: no such file", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void A_bad_scenario_is_one_located_line_and_exit_code_2()
    {
        string bad = Path.Combine(Directory.CreateTempSubdirectory("exitsim-explain").FullName, "bad.yaml");
        File.WriteAllText(bad, "name: x\nhost: { vendor: intel, ghz: 2, cores: 2 }\nvm: { vcpus: 1 }\nexits:\n  IO_INSTRUCTON: { rate: 1k/s }\n");
        var r = CliRunner.Run("explain", bad);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"{bad}:5:3: unknown exit reason 'IO_INSTRUCTON' for vendor intel (did you mean IO_INSTRUCTION?)", r.Error.TrimEnd());
        Assert.Equal("", r.Out);
    }
}
