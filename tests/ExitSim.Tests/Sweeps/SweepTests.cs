using ExitSim.Sweeps;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Sweeps;

public class SweepTests
{
    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("exitsim-sweep").FullName, name);

    private const string QemuCapacity = """
        name: qemu-capacity
        host: { vendor: intel, ghz: 2.0, cores: 64 }
        costs: { save: const(0), handle: const(0), reenter: const(0) }
        vm: { vcpus: 10, qemu_threads: per-vm }
        exits:
          IO_INSTRUCTION: { rate: 2k/s, path: userspace, emulate: exp(10us) }
        run: { duration: 500ms, warmup: 50ms, replications: 5, seed: 4 }
        """;

    [Theory]
    [InlineData("vm.vcpus=2,4,8", "vm.vcpus", new[] { "2", "4", "8" })]
    [InlineData("vm.count=1..4", "vm.count", new[] { "1", "2", "3", "4" })]
    [InlineData("exits.IO_INSTRUCTION.rate=10k/s..40k/s:4", "exits.IO_INSTRUCTION.rate", new[] { "10k/s", "20k/s", "30k/s", "40k/s" })]
    [InlineData("host.ghz=2.0..3.0:3", "host.ghz", new[] { "2", "2.5", "3" })]
    public void Axes_expand(string text, string key, string[] values)
    {
        var a = SweepAxis.Parse(text);
        Assert.Equal(key, a.Key);
        Assert.Equal(values, a.Values);
    }

    [Theory]
    [InlineData("vm.vcpus", "write KEY=VALUES")]
    [InlineData("vm.vcpus=4..2", "the range goes down")]
    [InlineData("vm.vcpus=1us..2:3", "same unit")]
    [InlineData("vm.vcpus=1.5..3", "needs whole numbers")]
    public void Bad_axes_say_why(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => SweepAxis.Parse(text)).Message);

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Every_point_is_in_exactly_one_shard(FsCheck.PositiveInt points, FsCheck.PositiveInt shards)
    {
        int total = points.Get % 500 + 1, n = shards.Get % 40 + 1;
        var seen = Enumerable.Range(0, n).SelectMany(i => SweepRunner.ShardPoints(total, i, n)).ToArray();
        return seen.Length == total && seen.Order().SequenceEqual(Enumerable.Range(0, total));
    }

    [Fact]
    public void Point_values_follow_the_cross_product_with_the_first_axis_slowest()
    {
        var axes = new[] { SweepAxis.Parse("a=1,2"), SweepAxis.Parse("b=x,y,z") };
        Assert.Equal(6, SweepRunner.PointCount(axes));
        Assert.Equal(new[] { "1", "x" }, SweepRunner.ValuesOf(axes, 0));
        Assert.Equal(new[] { "1", "z" }, SweepRunner.ValuesOf(axes, 2));
        Assert.Equal(new[] { "2", "y" }, SweepRunner.ValuesOf(axes, 4));
    }

    [Fact]
    public void Sharded_runs_merge_into_exactly_the_unsharded_output_whatever_the_thread_count()
    {
        string scenario = Temp("s.yaml");
        File.WriteAllText(scenario, QemuCapacity.Replace("duration: 500ms", "duration: 50ms"));
        string[] sweep = ["sweep", scenario, "--vary", "vm.vcpus=2,4,6", "--vary", "exits.IO_INSTRUCTION.rate=1k/s..3k/s:3", "-r", "3"];
        foreach (var ext in new[] { "json", "csv", "md" })
        {
            string whole = Temp("whole." + ext), merged = Temp("merged." + ext);
            Assert.Equal(0, CliRunner.Run([.. sweep, "-o", whole, "--threads", "2"]).ExitCode);
            var parts = Enumerable.Range(0, 4).Select(i => Temp($"part{i}.json")).ToArray();
            for (int i = 0; i < 4; i++) Assert.Equal(0, CliRunner.Run([.. sweep, "--shard", $"{i}/4", "-o", parts[i], "--threads", "1"]).ExitCode);
            var m = CliRunner.Run(["merge", .. parts.Reverse(), "-o", merged]);
            Assert.True(m.ExitCode == 0, m.Error);
            Assert.Equal(File.ReadAllText(whole), File.ReadAllText(merged));
        }
        var missing = CliRunner.Run("merge", Temp("nope.json"), "-o", Temp("x.json"));
        Assert.Equal(2, missing.ExitCode);
    }

    [Fact]
    public void An_interrupted_sweep_keeps_its_finished_points_and_resumes_to_the_same_result()
    {
        string scenario = Temp("s.yaml"), whole = Temp("whole.csv"), resumed = Temp("resumed.csv");
        File.WriteAllText(scenario, QemuCapacity.Replace("duration: 500ms", "duration: 200ms"));
        string[] sweep = ["sweep", scenario, "--vary", "vm.vcpus=10..60:6", "--threads", "1"];
        Assert.Equal(0, CliRunner.Run([.. sweep, "-o", whole]).ExitCode);

        // Interrupt twice: at once (nothing finished), then after some points; resume must still give the same bytes.
        using var now = new CancellationTokenSource();
        now.Cancel();
        var stopped = CliRunner.Run(now.Token, [.. sweep, "-o", resumed]);
        Assert.Equal(130, stopped.ExitCode);
        using var later = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var again0 = CliRunner.Run(later.Token, [.. sweep, "-o", resumed, "--resume", resumed + ".partial.json"]);
        Assert.True(again0.ExitCode is 0 or 130, again0.Error);
        if (again0.ExitCode == 0) File.Delete(resumed); // finished in time: resume once more from the saved start below
        Assert.Contains("resume with the same command plus --resume", stopped.Error);
        Assert.False(File.Exists(resumed));
        var again = CliRunner.Run([.. sweep, "-o", resumed, "--resume", resumed + ".partial.json"]);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(File.ReadAllText(whole), File.ReadAllText(resumed));
    }

    [Fact]
    public void A_missing_shard_is_refused()
    {
        string scenario = Temp("s.yaml");
        File.WriteAllText(scenario, QemuCapacity.Replace("duration: 500ms", "duration: 10ms"));
        string part = Temp("p0.json");
        Assert.Equal(0, CliRunner.Run("sweep", scenario, "--vary", "vm.vcpus=2,4,6", "--shard", "0/2", "-o", part).ExitCode);
        var r = CliRunner.Run("merge", part, "-o", Temp("m.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("points are missing", r.Error);
    }

    /// <summary>Mean time in system of the finite-source M/M/1//N queue: W = N/X − Z, X = μ(1 − p0).</summary>
    private static double MachineRepairmanResponse(int n, double thinkNs, double serviceNs)
    {
        double sum = 0, term = 1;
        for (int k = 0; k <= n; k++) { sum += term; term *= (n - k) * serviceNs / thinkNs; }
        double x = (1 - 1 / sum) / serviceNs;
        return n / x - thinkNs;
    }

    [Fact]
    public void Slo_search_finds_the_capacity_a_closed_form_predicts()
    {
        // vCPUs think 500 µs of guest time, then hold the QEMU thread exp(10 µs): W(N) from the closed form.
        double target = 40_000;
        int[] grid = [10, 20, 30, 40, 50, 60];
        int expected = grid.Where(n => MachineRepairmanResponse(n, 500_000, 10_000) <= target).Max();
        Assert.Equal(40, expected);                                      // W(40) ≈ 33 µs, W(50) ≈ 58 µs: well apart
        string scenario = Temp("s.yaml");
        File.WriteAllText(scenario, QemuCapacity);
        var r = CliRunner.Run("sweep", scenario, "--vary", "vm.vcpus=10..60:6", "--slo", "mean_exit_latency_ns<=40us");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains($"largest vm.vcpus meeting it with 95 % confidence: {expected}", r.Out);
        var sweep = SweepJsonFormatter.Read(File.ReadAllText(WriteJson(scenario)));
        foreach (var p in sweep.Points)
        {
            double w = MachineRepairmanResponse(int.Parse(p.Values[0]), 500_000, 10_000);
            var m = p.Metric("mean_exit_latency_ns");
            Assert.InRange(w, m.Mean - 1.5 * m.Ci95!.Value - 0.02 * w, m.Mean + 1.5 * m.Ci95.Value + 0.02 * w);
        }
    }

    [Fact]
    public void Plot_writes_a_chart_per_metric_with_the_slo_line()
    {
        string scenario = Temp("s.yaml"), dir = Temp("plots");
        File.WriteAllText(scenario, QemuCapacity.Replace("duration: 500ms", "duration: 20ms"));
        var r = CliRunner.Run("sweep", scenario, "--vary", "vm.vcpus=2,4", "--vary", "exits.IO_INSTRUCTION.rate=1k/s,2k/s", "-r", "2",
            "--slo", "mean_exit_latency_ns<=40us", "--plot", dir);
        Assert.True(r.ExitCode == 0, r.Error);
        foreach (var metric in ExitSim.Running.MetricTable.All)   // no workload here: no charts of the workload's metrics
            Assert.Equal(!metric.NeedsWorkload, File.Exists(Path.Combine(dir, "sweep-" + metric.Name.Replace('_', '-') + ".svg")));
        string svg = File.ReadAllText(Path.Combine(dir, "sweep-mean-exit-latency-ns.svg"));
        Assert.Contains("SLO ≤ 40 µs", svg);
        Assert.Contains("exits.IO_INSTRUCTION.rate=2k/s", svg);
    }

    private static string WriteJson(string scenario)
    {
        string json = Temp("s.json");
        Assert.Equal(0, CliRunner.Run("sweep", scenario, "--vary", "vm.vcpus=10..60:6", "-o", json).ExitCode);
        return json;
    }

    [Theory]
    [InlineData(new[] { "--vary", "vm.vcpus=two" }, "vm.vcpus=two: 'vcpus' must be a whole number")]
    [InlineData(new[] { "--vary", "vm.vcpu=2,4" }, "unknown key 'vcpu' in 'vm' (did you mean 'vcpus'?)")]
    [InlineData(new[] { "--vary", "optimisations=none,virtioo" }, "unknown optimisation 'virtioo' (did you mean 'virtio'?)")]
    [InlineData(new[] { "--vary", "optimisations=none,virtio" }, "--vary optimisations=virtio: virtio, vhost, iothread and multiqueue change how devices cause exits, but the scenario has no devices")]
    [InlineData(new[] { "--vary", "vm.vcpus=2", "--slo", "p99<=5ms" }, "unknown metric 'p99'")]
    [InlineData(new[] { "--vary", "vm.vcpus=2", "--shard", "4/4", "-o", "x.json" }, "--shard: expected i/N with 0 <= i < N")]
    public void Bad_sweep_input_is_one_line_and_exit_code_2(string[] args, string message)
    {
        string scenario = Temp("s.yaml");
        File.WriteAllText(scenario, QemuCapacity);
        var r = CliRunner.Run(["sweep", scenario, .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }
}
