using ExitSim.Tests.Simulation;

namespace ExitSim.Tests.Cli;

public class CalibrateCommandTests
{
    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("exitsim-cal").FullName, name);

    // No HLT here: calibration treats HLT time as idle time by design (not a cost to round-trip).
    private const string Original = """
        name: roundtrip
        host: { vendor: intel, ghz: 2.0, cores: 8 }
        costs: { save: const(300cyc), reenter: const(300cyc) }
        vm: { vcpus: 2, qemu_threads: per-vcpu }
        exits:
          IO_INSTRUCTION: { rate: 8k/s, path: userspace, handle: "lognormal(mean=2.3us, cv=0.3)", emulate: "lognormal(mean=6us, cv=0.8)" }
          MSR_WRITE: { rate: 5k/s, handle: exp(400ns) }
          EPT_VIOLATION: { rate: 1k/s, handle: "gamma(shape=2, mean=3us)" }
          EXTERNAL_INTERRUPT: { rate: 2k/s, clock: wall, handle: "lognormal(mean=1us, cv=0.5)" }
        run: { duration: 2s, warmup: 0s, replications: 2, seed: 3 }
        """;

    [Theory]
    [InlineData("ftrace")]
    [InlineData("perf-kvm-stat")]
    public void Simulate_export_calibrate_simulate_reproduces_rates_and_mean_costs(string traceFormat)
    {
        string scenario = Temp("original.yaml"), trace = Temp("trace.txt"), calibrated = Temp("calibrated.yaml");
        File.WriteAllText(scenario, Original);
        Assert.Equal(0, CliRunner.Run("run", scenario, "--export-trace", trace, "--trace-format", traceFormat).ExitCode);
        string[] extra = traceFormat == "perf-kvm-stat" ? ["--interval", "2s"] : [];
        var cal = CliRunner.Run(["calibrate", trace, "--vcpus", "2", "--ghz", "2.0", "-o", calibrated, .. extra]);
        Assert.True(cal.ExitCode == 0, cal.Error);
        Assert.Equal(0, CliRunner.Run("validate", calibrated).ExitCode);

        var before = Run.File(scenario);
        var after = Run.File(calibrated, new ExitSim.Running.RunOptions { DurationNs = 2e9, Replications = 2 });
        foreach (var b in before.Reasons)
        {
            var a = after.Reasons.Single(x => x.Name == b.Name);
            Assert.True(Math.Abs(a.RatePerSecond / b.RatePerSecond - 1) < 0.05, $"{b.Name} rate {b.RatePerSecond} → {a.RatePerSecond}");
            Assert.True(Math.Abs(a.AvgNs / b.AvgNs - 1) < 0.05, $"{b.Name} mean {b.AvgNs} → {a.AvgNs}");
        }
    }

    [Fact]
    public void Every_fitted_number_says_where_it_came_from()
    {
        string output = Temp("sysbench.yaml");
        var r = CliRunner.Run("calibrate", Repo.Path("tests", "fixtures", "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"),
            "--interval", "22.66s", "--vcpus", "4", "-o", output);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("HLT time is time the vCPU spent halted", r.Out);
        Assert.Contains("MSR_WRITE", r.Out);
        string yaml = File.ReadAllText(output);
        foreach (var line in yaml.Split('\n').Where(l => l.TrimStart().StartsWith("rate:") || l.TrimStart().StartsWith("handle:")))
            Assert.Contains("#", line);
        Assert.Contains("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt:", yaml);
        var run = CliRunner.Run("run", output, "--duration", "20ms", "-r", "2");
        Assert.Equal(0, run.ExitCode);
    }

    public static TheoryData<string> Fixtures() => new()
    {
        "bcc-kvmexit__upstream-example-all-threads.txt",
        "ftrace-kvm__seanjc-2024-nested-ept-violation-newfmt.txt",
        "ftrace-kvm__toy-vmm-realmode-2016-pio-userspace-exit.txt",
        "kvm_stat-debugfs-old__fleming-2016-perf-probe-blog.txt",
        "perf-kvm-stat-live__cloudatlas-win10-guest-before-hpet.txt",
        "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt",
        "perf-kvm-stat-report__qemu-devel-2021-hyperv-ipi_reflowed.txt",
        "perf-kvm-stat-report__v3.7-era-vmexit-mmio-ioport-vcpu.txt",
        // No per-reason table: reasons come from tracepoint counters (kvm_msr, kvm_fast_mmio …), from the access events of a
        // trace without kvm_exit, or from vmexit.flat's cycles per test (costs only, rates assumed).
        "kvm-unit-tests-vmexit__bonzini-2019-nested-before-after.txt",
        "kvm_stat-log-csv__SYNTHETIC-from-source-format.txt",
        "kvm_stat-tui__martins3-notes-x86-nohz-off-66k-exits.txt",
        "real-host-nested-pvm/ftrace-kvm-events-no-kvm_exit.txt",
    };

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void Fixtures_calibrate_to_runnable_scenarios(string fixture)
    {
        string output = Temp("fixture.yaml");
        // The recording window as each source states it (its SOURCE line), or a plausible one where it does not; traces
        // name their vCPUs and window themselves.
        string[] given = fixture switch
        {
            _ when fixture.Contains("debugfs") => ["--interval", "2h", "--vcpus", "4"],          // totals since boot: the uptime (assumed)
            _ when fixture.Contains("sysbench") => ["--interval", "22.66s", "--vcpus", "4"],     // "sysbench cpu for 22.66 s"
            _ when fixture.Contains("perf-kvm-stat-live") => ["--interval", "1s", "--vcpus", "4"], // live mode's default -d 1 s
            _ when fixture.Contains("hyperv") => ["--interval", "5s", "--vcpus", "4"],           // "recorded for 5 seconds"
            _ when fixture.Contains("v3.7") => ["--interval", "60s", "--vcpus", "4"],            // not stated (assumed)
            _ when fixture.Contains("kvm_stat-tui") => ["--interval", "1s", "--vcpus", "4"],     // CurAvg/s is a rate already; the window is unused
            _ when fixture.StartsWith("ftrace", StringComparison.Ordinal) || fixture.Contains("/ftrace") => [],
            _ => ["--vcpus", "4"],                                                                // the file carries its window
        };
        var r = CliRunner.Run(["calibrate", Repo.Path("tests", "fixtures", fixture), .. given, "-o", output]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(0, CliRunner.Run("validate", output).ExitCode);
        var run = CliRunner.Run("run", output, "--duration", "5ms", "-r", "2");
        Skip.If(run.Error.Contains("a reason on several paths is not simulated yet", StringComparison.Ordinal),
            "needs the simulation of paths: (coordinator wires it)");
        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Fact]
    public void Counters_and_unit_tests_say_what_they_could_not_attribute()
    {
        var tui = CliRunner.Run("calibrate", Repo.Path("tests", "fixtures", "kvm_stat-tui__martins3-notes-x86-nohz-off-66k-exits.txt"), "--vcpus", "4", "-o", Temp("tui.yaml"));
        Assert.Equal(0, tui.ExitCode);
        Assert.Contains("6997 of 13988 kvm_exit events (50 %) cannot be attributed", tui.Out);
        Assert.Contains("33.16k/s", tui.Out); // kvm_msr's CurAvg/s becomes the MSR_WRITE rate
        string unit = Temp("unit.yaml");
        var vmexit = CliRunner.Run("calibrate", Repo.Path("tests", "fixtures", "kvm-unit-tests-vmexit__bonzini-2019-nested-before-after.txt"), "-o", unit);
        Assert.Equal(0, vmexit.ExitCode);
        Assert.Contains("every rate below is an assumed", vmexit.Out);
        string yaml = File.ReadAllText(unit);
        Assert.Contains("handle: const(46147cyc)", yaml);   // inl_from_qemu 46,747 cycles minus 600 for save + reenter
        Assert.Contains("inl_from_qemu 46747 cycles", yaml);
    }

    [Fact]
    public void Implausible_intervals_are_refused()
    {
        var r = CliRunner.Run("calibrate", Repo.Path("tests", "fixtures", "kvm_stat-debugfs-old__fleming-2016-perf-probe-blog.txt"),
            "--interval", "10s", "--vcpus", "4", "-o", Temp("x.yaml"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("check --interval and --vcpus", r.Error);
        var busy = CliRunner.Run("calibrate", Repo.Path("tests", "fixtures", "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"),
            "--interval", "1s", "--vcpus", "1", "-o", Temp("y.yaml"));
        Assert.Equal(2, busy.ExitCode);
        Assert.Contains("check --interval and --vcpus", busy.Error);
    }

    [Fact]
    public void The_input_format_is_named_input_format_and_format_still_works()
    {
        string file = Repo.Path("tests", "fixtures", "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt");
        var bad = CliRunner.Run("calibrate", file, "--input-format", "xml", "-o", Temp("f.yaml"));
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("exitsim: --input-format: unknown format 'xml' (use perf-kvm-stat,", bad.Error);
        Assert.Equal(0, CliRunner.Run("calibrate", file, "--input-format", "perf-kvm-stat", "--interval", "22.66s", "--vcpus", "4", "-o", Temp("g.yaml")).ExitCode);
        Assert.Equal(0, CliRunner.Run("calibrate", file, "--format", "perf-kvm-stat", "--interval", "22.66s", "--vcpus", "4", "-o", Temp("h.yaml")).ExitCode);
    }

    [Fact]
    public void Perf_output_without_an_interval_asks_for_one()
    {
        var r = CliRunner.Run("calibrate", Repo.Path("tests", "fixtures", "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"), "-o", Temp("x.yaml"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("give --interval", r.Error);
        Assert.Matches(@"^\S+:\d+:1: ", r.Error);
    }

    [Fact]
    public void A_truncated_perf_report_is_refused()
    {
        string input = Temp("truncated.txt");
        var lines = File.ReadAllLines(Repo.Path("tests", "fixtures", "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"));
        File.WriteAllText(input, string.Join("\n", lines.Take(lines.Length - 4)) + "\n           MSR_WRITE       91");
        var r = CliRunner.Run("calibrate", input, "--interval", "22s", "-o", Temp("t.yaml"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(input + ":", r.Error);
    }

    [Theory]
    [InlineData("garbage", "this is not a measurement\nat all\n")]
    [InlineData("empty", "")]
    [InlineData("binary", "\0\u0001\u0002ELF\0\0")]
    public void Bad_input_is_exit_code_2_with_file_and_line(string kind, string content)
    {
        string input = Temp(kind + ".txt");
        File.WriteAllText(input, content);
        string output = Temp("out.yaml");
        var r = CliRunner.Run("calibrate", input, "-o", output);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(input + ":", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(output));
    }
}
