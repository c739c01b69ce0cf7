using ExitSim.Probe;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Tests.Probe;

public sealed class HostProfileWriterTests
{
    private static HostProfile Profile(bool noisy = false) => new(
        Kernel: "6.8.0-45-generic",
        KvmModule: "kvm_intel",
        Cpu: "Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz",
        MeasuredAt: new DateTimeOffset(2026, 11, 26, 21, 30, 5, TimeSpan.Zero),
        Paths:
        [
            new PathMeasurement(ProbePaths.UserspacePio, 12_300, 12_700, 11_900, 13_100, 5_700, 2.5, false, "pio"),
            new PathMeasurement(ProbePaths.UserspaceMmio, 14_000, 14_300, 13_500, 15_250, 5_700, 3, false, "mmio"),
            new PathMeasurement(ProbePaths.HltUserspace, 9_870, 9_900, 9_500, 10_000, 5_700, 1, false, "hlt"),
            new PathMeasurement(ProbePaths.IoEventFdPio, 850, 860, 840, 900, 57, 4, false, "ioeventfd pio"),
            new PathMeasurement(ProbePaths.IoEventFdMmio, 1_020, 1_030, 1_000, 1_100, 57, noisy ? 15 : 4, noisy, "ioeventfd mmio"),
        ],
        GuestSpeedRatio: 0.98,
        GuestLoopNs: 0.51,
        HostLoopNs: 0.5,
        SlowGuest: false,
        EmulatedHost: false,
        Noisy: noisy,
        EmulationDelayNs: 2_000,
        StatsChecks: [new StatsCheck("io_exits", 6_003, 6_003)],
        Warnings: noisy ? ["repetitions disagree by more than 10 % on ioeventfd_mmio"] : []);

    [Fact]
    public void Writes_the_host_profile_fragment()
    {
        Assert.Equal("""
            # exitsim probe: per-exit medians measured with tiny real-mode KVM guests
            host_profile:
              kernel: 6.8.0-45-generic
              kvm_module: kvm_intel
              cpu: Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz
              measured_at: 2026-11-26T21:30:05Z
              paths:
                userspace_pio: 12.3us   # median; mean 12.7us, p10 11.9us, p90 13.1us, 5700 samples, repetitions within 2.5%
                userspace_mmio: 14us   # median; mean 14.3us, p10 13.5us, p90 15.25us, 5700 samples, repetitions within 3%
                hlt_userspace: 9.87us   # median; mean 9.9us, p10 9.5us, p90 10us, 5700 samples, repetitions within 1%
                ioeventfd_pio: 850ns   # median; mean 860ns, p10 840ns, p90 900ns, 57 samples, repetitions within 4%
                ioeventfd_mmio: 1.02us   # median; mean 1.03us, p10 1us, p90 1.1us, 57 samples, repetitions within 4%
                guest_speed_ratio: 0.98   # guest loop speed / host loop speed
              means:   # what many exits add up to: whole runs with the exit minus runs without it, in the thread's CPU time (ioeventfd paths: the mean of runs, the slowest 1 % left out)
                userspace_pio: 12.7us
                userspace_mmio: 14.3us
                hlt_userspace: 9.9us
                ioeventfd_pio: 860ns
                ioeventfd_mmio: 1.03us
              guest_loop: 0.51ns   # guest time per iteration of xor/dec/jnz (the host's: 0.5ns)
              emulation_delay: 2us   # added in userspace on userspace_pio_emulated
              noisy: false
              # exit counts, probe vs KVM (KVM_GET_STATS_FD / eventfd):
              #   io_exits: expected 6003, counted 6003 ok

            """.Replace("\r\n", "\n"), HostProfileWriter.Write(Profile()));
    }

    [Fact]
    public void Records_both_loops_of_each_path_the_budget_and_the_time_taken()
    {
        var p = Profile();
        p = p with
        {
            Paths = [p.Paths[0] with { WithExitNs = 13_310, LoopNs = 1_010, Repetitions = 3, RunsPerRepetition = 1, Iterations = 4_096 }, .. p.Paths.Skip(1)],
            BudgetSeconds = 15,
            ElapsedSeconds = 9.43,
            GuestLoopIterations = 2_000_000,
        };
        string yaml = HostProfileWriter.Write(p);
        Assert.Contains("  loops:   # per iteration of each path's loop, with the exit and the same loop without it", yaml);
        Assert.Contains("    userspace_pio: { with_exit: 13.31us, without: 1.01us, runs: 3, iterations: 4096 }\n", yaml);
        Assert.Contains("  budget: 15s   # every step sized by a pilot run to fit it; took 9.4s\n  elapsed: 9.4s\n", yaml);
        Assert.Contains("runs of 2000000 and twice that", yaml);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var loops = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["host_profile"])["loops"];
        Assert.Equal("1.01us", ((YamlMappingNode)loops["userspace_pio"])["without"].ToString());
    }

    [Fact]
    public void Output_is_yaml_with_the_documented_keys()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(HostProfileWriter.Write(Profile(noisy: true))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var hp = (YamlMappingNode)root["host_profile"];
        Assert.Equal("6.8.0-45-generic", hp["kernel"].ToString());
        Assert.Equal("Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz", hp["cpu"].ToString());
        Assert.Equal("true", hp["noisy"].ToString());
        var paths = (YamlMappingNode)hp["paths"];
        Assert.Equal("12.3us", paths["userspace_pio"].ToString());
        Assert.Equal("850ns", paths["ioeventfd_pio"].ToString());
        Assert.Equal("0.98", paths["guest_speed_ratio"].ToString());
        Assert.Equal(6, paths.Children.Count);
    }

    [Fact]
    public void Written_times_read_back_with_the_scenario_unit_parser()
    {
        var text = HostProfileWriter.Write(Profile());
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var paths = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["host_profile"])["paths"];
        var q = ExitSim.Units.UnitParser.Time(paths["userspace_pio"].ToString(), out string? error);
        Assert.Null(error);
        Assert.NotNull(q);
    }

    [Theory]
    [InlineData("plain-1.2", "plain-1.2")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("6.8", "\"6.8\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("", "\"\"")]
    public void Scalars_are_quoted_when_needed(string value, string expected) =>
        Assert.Equal(expected, HostProfileWriter.Scalar(value));

    [Fact]
    public void Noisy_profiles_carry_their_warning_as_a_comment()
    {
        var text = HostProfileWriter.Write(Profile(noisy: true));
        Assert.Contains("# warning: repetitions disagree by more than 10 % on ioeventfd_mmio\n", text);
        Assert.Contains("ioeventfd_mmio: 1.02us   # median; mean 1.03us, p10 1us, p90 1.1us, 57 samples, repetitions within 15% (noisy)\n", text);
    }
}
