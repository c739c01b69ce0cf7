using ExitSim.Explain;
using ExitSim.Optimisations;
using ExitSim.Scenarios;
using ExitSim.Simulation.Memory;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Scenarios;

/// <summary><c>host.defaults</c>: what a scenario gets for the settings it does not write, and what it departs from.</summary>
public class HostDefaultsTests
{
    private const string Devices = """

        workload: { kind: closed, clients: 4, think: exp(100us), op: { name: op, compute: exp(20us), disk_io: 1, net_rx: 1, net_tx: 1 } }
        devices:
          disk: { model: virtio-blk, backend: exp(100us), qemu: exp(5us) }
          nic: { model: virtio-net, qemu: exp(4us), vhost: exp(2us) }
        interrupts: { handler: exp(2us), wake: exp(5us) }
        """;

    private static Scenario Parse(string yaml) => ScenarioLoader.Parse(yaml.Replace("  MSR_WRITE:", "  EPT_MISCONFIG: { path: userspace, emulate: exp(2us), ioeventfd: exp(400ns) }\n  MSR_WRITE:"), "s.yaml");

    [Fact]
    public void A_scenario_that_writes_nothing_gets_todays_defaults()
    {
        var s = Parse(ScenarioText.Minimal + Devices);
        Assert.Equal("linux-6.x/qemu-8.x", s.Host.Defaults);
        Assert.Equal(["ept", "apicv", "pv-eoi", "steal-time", "vtd-pi", "exit-fastpath"], s.Host.Features);
        Assert.Equal(200_000, s.Vm.HaltPollNs);
        Assert.Equal(MemoryBacking.Thp, s.Vm.Backing);
        Assert.Equal(2L << 20, s.Vm.PageSizeBytes);
        Assert.Equal(s.Vm.Vcpus, s.Devices.Disk!.Queues);
        Assert.Equal(Dataplane.Vhost, s.Devices.Nic!.Dataplane);
        Assert.Equal(1, s.Devices.Nic.Queues);
        Assert.Empty(HostDefaultsDiff.Of(s));
    }

    [Fact]
    public void Defaults_none_turns_nothing_on()
    {
        var s = Parse(ScenarioText.With("cores: 4", "cores: 4\ndefaults: none") + Devices);
        Assert.Equal(["ept"], s.Host.Features);
        Assert.Equal(0, s.Vm.HaltPollNs);
        Assert.Equal(MemoryBacking.Anonymous, s.Vm.Backing);
        Assert.Equal(4096, s.Vm.PageSizeBytes);
        Assert.Equal(1, s.Devices.Disk!.Queues);
        Assert.Equal(Dataplane.Qemu, s.Devices.Nic!.Dataplane);
    }

    [Fact]
    public void What_the_yaml_writes_overrides_the_defaults_and_is_listed_as_a_departure()
    {
        var s = Parse(ScenarioText.With("cores: 4", "cores: 4\nfeatures: [ept]").Replace("  vcpus: 2", "  vcpus: 2\n  halt_poll: 0ns\n  page_size: 4KiB") + Devices);
        Assert.Equal(["ept"], s.Host.Features);
        Assert.Equal(MemoryBacking.Anonymous, s.Vm.Backing);
        var diff = HostDefaultsDiff.Of(s).Select(d => d.ToString()).ToArray();
        Assert.Contains("host.features apicv off (default on)", diff);
        Assert.Contains("host.features pv-eoi off (default on)", diff);
        Assert.Contains("vm.halt_poll 0ns (default 200us)", diff);
        Assert.Contains("vm.backing anonymous 4KiB (default thp 2MiB)", diff);
    }

    [Fact]
    public void Unknown_defaults_are_refused_at_their_line()
    {
        var e = Assert.Throws<ScenarioException>(() => Parse(ScenarioText.With("cores: 4", "cores: 4\ndefaults: linux-7")));
        Assert.StartsWith("s.yaml:6:13: unknown host defaults 'linux-7' (known: linux-6.x/qemu-8.x, none", e.Located);
    }

    [Theory]
    [InlineData("page_size: 1GiB\n  backing: thp", "does not fit backing: thp")]
    [InlineData("page_size: 2MiB\n  backing: anonymous", "does not fit backing: anonymous")]
    [InlineData("backing: hugetlbfs\n  page_size: 4KiB", "does not fit backing: hugetlbfs")]
    public void Page_size_and_backing_must_agree(string lines, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => Parse(ScenarioText.Minimal.Replace("  vcpus: 2", "  vcpus: 2\n  " + lines)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_page_size_alone_implies_its_backing()
    {
        Assert.Equal(MemoryBacking.Hugetlbfs, Parse(ScenarioText.Minimal.Replace("  vcpus: 2", "  vcpus: 2\n  page_size: 1GiB")).Vm.Backing);
        Assert.Equal(MemoryBacking.Thp, Parse(ScenarioText.Minimal.Replace("  vcpus: 2", "  vcpus: 2\n  page_size: 2MiB")).Vm.Backing);
    }

    [Fact]
    public void Preallocated_hugetlbfs_pages_are_not_cleared_at_fault_but_thp_ones_are()
    {
        var thp = Parse(ScenarioText.Minimal + Devices + "\nmemory: { touch_rate: 4MiB/s, zero_rate: 8GiB/s }");
        var huge = OptimisationCatalog.Apply(thp, ["hugepages-2m"]);
        Assert.Equal(MemoryBacking.Hugetlbfs, huge.Vm.Backing);
        Assert.Equal(2L << 20, huge.Vm.PageSizeBytes);
        Assert.Equal(GuestMemory.Of(thp).FaultsPerGuestSecond, GuestMemory.Of(huge).FaultsPerGuestSecond);
        Assert.InRange(GuestMemory.Of(thp).ZeroNsPerFault, 200e3, 260e3);   // (2 MiB − 4 KiB) at 8 GiB/s
        Assert.Equal(0, GuestMemory.Of(huge).ZeroNsPerFault);
    }

    [Fact]
    public void The_shipped_scenarios_run_on_todays_defaults_and_the_seed_ones_say_what_they_switch_off()
    {
        foreach (var name in new[] { "database", "web", "bigdata" })
        {
            var s = ScenarioLoader.LoadFile(Repo.Path("scenarios", name + ".yaml"));
            Assert.Empty(HostDefaultsDiff.Of(s));
            var seed = ScenarioLoader.LoadFile(Repo.Path("scenarios", "seed-article", name + ".yaml"));
            var diff = HostDefaultsDiff.Of(seed).Select(d => d.Setting).ToArray();
            Assert.Contains("host.features apicv", diff);
            Assert.Contains("vm.halt_poll", diff);
            Assert.Contains("vm.backing", diff);
            Assert.Contains("devices.disk.model", diff);
        }
    }

    [Theory]
    [InlineData("apicv")]
    [InlineData("halt-polling")]
    [InlineData("virtio")]
    [InlineData("posted-interrupts")]
    public void Compare_refuses_to_enable_what_the_baseline_already_has(string name)
    {
        var r = CliRunner.Run("compare", Repo.Path("scenarios", "database.yaml"), "--with", name, "-r", "2", "--duration", "10ms");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"exitsim: --with: '{name}' is already on in the baseline", r.Error.Trim()[..($"exitsim: --with: '{name}' is already on in the baseline".Length)]);
        Assert.Single(r.Error.Trim().Split('\n'));
    }

    [Fact]
    public void A_scenario_may_not_list_as_its_after_arm_what_its_baseline_has()
    {
        var e = Assert.Throws<ScenarioException>(() => Parse(ScenarioText.Minimal + Devices + "\noptimisations: [hugepages-1g, apicv]"));
        Assert.Contains("'apicv' is already on in the baseline", e.Message);
        Assert.Matches(@"^s\.yaml:\d+:31: ", e.Located);
    }

    [Fact]
    public void Explain_skips_what_is_already_on_as_such()
    {
        var s = ScenarioLoader.LoadFile(Repo.Path("scenarios", "database.yaml"));
        foreach (var name in new[] { "apicv", "halt-polling", "virtio", "posted-interrupts" })
        {
            Assert.True(OptimisationCatalog.Find(name)!.IsOn(s), name);
            var skip = ExplainRunner.Candidate(s, name, [name], out _);
            Assert.Equal(SkipKind.AlreadyInEffect, skip!.Kind);
        }
        foreach (var name in new[] { "hugepages-1g", "hugepages-2m", "multiqueue" })
            Assert.Null(ExplainRunner.Candidate(s, name, [name], out _));
    }

    [Fact]
    public void Run_prints_where_the_scenario_departs_from_its_defaults()
    {
        var seed = CliRunner.Run("run", Repo.Path("scenarios", "seed-article", "web.yaml"), "-r", "2", "--duration", "10ms");
        Assert.Equal(0, seed.ExitCode);
        Assert.Contains("Host defaults linux-6.x/qemu-8.x, except: host.features apicv off (default on); host.features pv-eoi off (default on); " +
                        "host.features steal-time off (default on); host.features vtd-pi off (default on); host.features exit-fastpath off (default on); " +
                        "vm.halt_poll 0ns (default 200us); vm.backing anonymous 4KiB (default thp 2MiB)", seed.Out);
        var today = CliRunner.Run("run", Repo.Path("scenarios", "web.yaml"), "-r", "2", "--duration", "10ms");
        Assert.Contains("Host defaults linux-6.x/qemu-8.x: all in effect", today.Out);
    }
}
