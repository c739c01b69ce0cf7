using System.Globalization;
using System.Text.Json;
using ExitSim.Comparison;
using ExitSim.Running;
using ExitSim.Sweeps;

namespace ExitSim.Tests.Cli;

/// <summary>What the outputs say: a share's change in points, unknown intervals as unknown, absent metrics as absent, and what produced them.</summary>
public class OutputChangesTests
{
    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("exitsim-outputs").FullName, name);

    [Fact]
    public void Compare_gives_the_change_of_a_share_in_percentage_points()
    {
        string[] args = ["compare", Repo.Path("scenarios", "classroom", "04-io-devices.yaml"), "--with", "virtio", "-r", "2", "--duration", "20ms"];
        var json = CliRunner.Run([.. args, "-f", "json"]);
        Assert.True(json.ExitCode == 0, json.Error);
        var rows = JsonDocument.Parse(json.Out).RootElement.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        var share = rows["io_exit_share_pct"];
        double before = share.GetProperty("before").GetDouble(), after = share.GetProperty("after").GetDouble();
        Assert.Equal("%", share.GetProperty("unit").GetString());
        Assert.Equal(after - before, share.GetProperty("delta").GetDouble(), 9);
        Assert.True(Math.Abs(after - before) > 1, "virtio must move the I/O exit share");

        var md = CliRunner.Run([.. args, "-f", "md"]).Out.Split('\n');
        string Line(string metric) => md.Single(l => l.StartsWith($"| {metric} |", StringComparison.Ordinal));
        Assert.Contains((after - before).ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " pp", Line("io_exit_share_pct"));
        Assert.EndsWith(" pp |", Line("guest_time_fraction"));
        Assert.DoesNotContain(" pp", Line("exits_per_second"));   // rates and latencies still change by % of before
        Assert.Matches(@"\| [-+]\d+\.\d\d% \| ± \d+\.\d\d% \|$", Line("exits_per_second"));
    }

    [Fact]
    public void A_percentiles_interval_is_unknown_when_its_replications_agree_to_the_bucket()
    {
        Assert.Null(MetricTable.P99ExitLatency.Estimate([13_504, 13_504]).Ci95);   // two replications in one histogram bucket
        Assert.Equal(0, MetricTable.P99ExitLatency.Estimate([0, 0]).Ci95);        // a difference of exactly nothing is known
        Assert.Null(MetricTable.P99ExitLatency.Estimate([13_504]).Ci95);
        Assert.Equal(0, MetricTable.MeanExitLatency.Estimate([2_000, 2_000]).Ci95); // a mean that agrees exactly (constant costs) is not binned
        Assert.True(MetricTable.P99ExitLatency.Estimate([13_504, 13_600]).Ci95 > 0);

        var sweep = new SweepResult
        {
            Scenario = "s", Seed = 1, Replications = 2, Vary = [SweepAxis.Parse("vm.vcpus=2")], TotalPoints = 1,
            Points = [new SweepPoint(0, ["2"], [new MetricValue("exits_per_second", 1000, 10), new MetricValue("p99_exit_latency_ns", 13_504, null)])],
        };
        Assert.Contains("| 13.504us ± ? (n=2 too small) |", SweepMarkdownFormatter.Format(sweep));
        Assert.DoesNotContain("± 0ns", SweepMarkdownFormatter.Format(sweep));
        var c = new ComparisonResult("s", "x", 1, 2, [new ComparisonRow("p99_exit_latency_ns", 13_504, 15_000, 11.08, null) { Ci95 = null }]);
        Assert.Contains("| +11.08% | ? (n=2 too small) |", ComparisonMarkdownFormatter.Format(c));
    }

    private const string NoWorkload = """
        name: rates
        host: { vendor: intel, ghz: 2.0, cores: 8 }
        costs: { save: const(300cyc), handle: exp(1us), reenter: const(300cyc) }
        vm: { vcpus: 2 }
        exits:
          IO_INSTRUCTION: { rate: 20k/s, path: userspace, emulate: exp(5us) }
        run: { duration: 20ms, warmup: 5ms, replications: 2, seed: 1 }
        """;

    [Fact]
    public void A_sweep_leaves_empty_the_metrics_a_scenario_does_not_have()
    {
        string file = Temp("rates.yaml");
        File.WriteAllText(file, NoWorkload);
        var r = CliRunner.Run("sweep", file, "--vary", "vm.vcpus=1,2", "-f", "csv");
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = r.Out.TrimEnd().Split('\n');
        var header = lines[0].Split(',');
        foreach (var row in lines.Skip(1).Select(l => l.Split(',')))
            foreach (var m in MetricTable.All)
            {
                string value = row[Array.IndexOf(header, m.Name)];
                if (m.NeedsWorkload) Assert.Equal("", value);
                else Assert.NotEqual("", value);
            }
        var json = JsonDocument.Parse(CliRunner.Run("sweep", file, "--vary", "vm.vcpus=1", "-f", "json").Out).RootElement.GetProperty("points")[0];
        Assert.Equal(JsonValueKind.Null, json.GetProperty("throughput_ops_per_second").ValueKind);
        Assert.DoesNotContain("throughput", CliRunner.Run("sweep", file, "--vary", "vm.vcpus=1").Out);

        var slo = CliRunner.Run("sweep", file, "--vary", "vm.vcpus=1", "--slo", "p99_op_latency<=5ms");
        Assert.Equal(2, slo.ExitCode);
        Assert.Equal($"exitsim: --slo: p99_op_latency_ns needs a workload: {file} has none", slo.Error.TrimEnd());
    }

    [Fact]
    public void A_run_with_optimisations_says_so_in_every_format()
    {
        string dir = Temp("after"), plain = Temp("before");
        string[] run = ["run", Repo.Path("scenarios", "seed-article", "web.yaml"), "-r", "2", "--duration", "10ms"];
        Assert.Equal(0, CliRunner.Run([.. run, "--with", "virtio,hugepages-2m,apicv", "--out", dir]).ExitCode);
        Assert.Equal(0, CliRunner.Run([.. run, "--out", plain]).ExitCode);
        string v = ExitSimVersion.Current;
        Assert.Matches(@"^\d+\.\d+\.\d+$", v);

        string After(string ext) => File.ReadAllText(Path.Combine(dir, "seed-web." + ext));
        string Before(string ext) => File.ReadAllText(Path.Combine(plain, "seed-web." + ext));
        Assert.Contains($"(ExitSim {v}: seed-web with virtio, hugepages-2m, apicv, 2 replications", After("txt"));
        Assert.Contains($"(ExitSim {v}: seed-web, 2 replications", Before("txt"));
        Assert.StartsWith("## seed-web with virtio, hugepages-2m, apicv\n", After("md"));
        Assert.Contains($"optimisations: virtio, hugepages-2m, apicv; 2 replication(s)", After("md"));
        Assert.Contains("no optimisations applied", Before("md"));
        Assert.Contains($"ExitSim {v}.", After("md"));
        Assert.Contains("<h1>ExitSim report: seed-web with virtio, hugepages-2m, apicv</h1>", After("html"));
        Assert.Contains("seed-web,virtio+hugepages-2m+apicv,", After("csv").Split('\n')[1]);
        Assert.StartsWith("seed-web,,", Before("csv").Split('\n')[1]);

        var after = JsonDocument.Parse(After("json")).RootElement;
        Assert.Equal(["virtio", "hugepages-2m", "apicv"], after.GetProperty("optimisations").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(v, after.GetProperty("version").GetString());
        Assert.Equal(0, JsonDocument.Parse(Before("json")).RootElement.GetProperty("optimisations").GetArrayLength());
    }

    [Fact]
    public void Compare_and_sweep_record_what_produced_them()
    {
        var c = CliRunner.Run("compare", Repo.Path("scenarios", "seed-article", "web.yaml"), "--with", "virtio", "--set", "vm.qemu_threads=per-vcpu", "-r", "2", "--duration", "10ms", "-f", "json");
        Assert.True(c.ExitCode == 0, c.Error);
        var root = JsonDocument.Parse(c.Out).RootElement;
        Assert.Equal(["virtio"], root.GetProperty("optimisations").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["vm.qemu_threads=per-vcpu"], root.GetProperty("settings").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(ExitSimVersion.Current, root.GetProperty("version").GetString());

        string file = Temp("rates.yaml"), part0 = Temp("p0.json"), part1 = Temp("p1.json");
        File.WriteAllText(file, NoWorkload);
        Assert.Equal(0, CliRunner.Run("sweep", file, "--vary", "vm.vcpus=1,2", "--shard", "0/2", "-o", part0).ExitCode);
        Assert.Equal(0, CliRunner.Run("sweep", file, "--vary", "vm.vcpus=1,2", "--shard", "1/2", "-o", part1).ExitCode);
        Assert.Contains($"\"version\": \"{ExitSimVersion.Current}\"", File.ReadAllText(part0));
        File.WriteAllText(part1, File.ReadAllText(part1).Replace($"\"version\": \"{ExitSimVersion.Current}\"", "\"version\": \"0.0.1\""));
        var merged = CliRunner.Run("merge", part0, part1, "-o", Temp("m.csv"));
        Assert.Equal(2, merged.ExitCode);
        Assert.Contains("ExitSim version differ", merged.Error);
    }
}
