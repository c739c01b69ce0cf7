using ExitSim.Comparison;
using ExitSim.Model;
using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Tests.Cli;
using FsCheck;
using FsCheck.Fluent;

namespace ExitSim.Tests.Workload;

public class OptimisationTests
{
    private static Scenario Base() => ScenarioLoader.Parse(WorkloadYaml.Make(disk: "ahci", nic: "e1000"), "test.yaml");

    /// <summary>The same VM on an AMD host (SVM reason names), where avic applies instead of apicv.</summary>
    private static Scenario AmdBase() => ScenarioLoader.Parse(WorkloadYaml.Make(disk: "ahci", nic: "e1000", features: "[npt]")
        .Replace("vendor: intel", "vendor: amd")
        .Replace("  IO_INSTRUCTION:", "  io:").Replace("  EPT_MISCONFIG:", "  npf:").Replace("  EXTERNAL_INTERRUPT:", "  interrupt:")
        .Replace("  MSR_WRITE:", "  msr:").Replace("  PREEMPTION_TIMER: {}\n", "").Replace("  INTERRUPT_WINDOW:", "  vintr:")
        .Replace("  EPT_VIOLATION: { handle: \"lognormal(mean=6000cyc, cv=1.0)\" }\n", "").Replace("  HLT:", "  hlt:"), "amd.yaml");

    [Fact]
    public void Any_order_of_plug_ins_gives_the_same_scenario()
    {
        // Every plug-in of the catalog, applied in the order given: a random subset in one order and in another must give
        // the same scenario (or both be refused), on the test VM of either vendor and on random scenarios with workloads.
        string[] names = OptimisationCatalog.All.Select(o => o.Name).ToArray();
        var cases =
            from s in Gen.Frequency((1, Gen.Elements(Base(), AmdBase())), (1, ExitSim.Tests.Scenarios.ScenarioGenerators.Scenario()))
            from chosen in Gen.SubListOf(names).Where(l => l.Count > 1)
            from keys in Gen.ArrayOf(Gen.Choose(0, 1000), chosen.Count)
            select (s, chosen: chosen.ToArray(), shuffled: chosen.Select((n, i) => (n, k: keys[i])).OrderBy(x => x.k).Select(x => x.n).ToArray());
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            Scenario? a = null, b = null;
            try { a = OptimisationCatalog.Apply(c.s, c.chosen); } catch (OptimisationException) { }
            try { b = OptimisationCatalog.Apply(c.s, c.shuffled); } catch (OptimisationException) { }
            return a == b;   // both refused (e.g. vhost without virtio) or equal scenarios
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Composed_plug_ins_do_what_each_does()
    {
        var s = OptimisationCatalog.Apply(Base(), ["apicv", "hugepages-1g", "vhost", "iothread", "virtio", "multiqueue", "halt-polling"]);
        Assert.Equal(DeviceModelKind.VirtioBlk, s.Devices.Disk!.Model);
        Assert.Equal(DeviceModelKind.VirtioNet, s.Devices.Nic!.Model);
        Assert.Equal(Dataplane.Iothread, s.Devices.Disk.Dataplane);   // no vhost-blk upstream: the disk gets an IOThread
        Assert.Equal(Dataplane.Vhost, s.Devices.Nic.Dataplane);
        Assert.Equal(4, s.Devices.Disk.Queues);
        Assert.Equal(1L << 30, s.Vm.PageSizeBytes);
        Assert.Contains("apicv", s.Host.Features);
        Assert.Equal(200_000, s.Vm.HaltPollNs);
    }

    [Theory]
    [InlineData("virtio,bogus", "unknown optimisation 'bogus'")]
    [InlineData("hugepage-2m", "did you mean 'hugepages-2m'?")]
    [InlineData("avic", "'avic' is AMD hardware but the host is vendor: intel (use apicv)")]
    [InlineData("vhost", "vhost serves virtio queues but the nic is an emulated e1000 (add virtio)")]
    [InlineData("iothread", "iothread serves virtio queues but the disk is an emulated ahci (add virtio)")]
    [InlineData("multiqueue", "multiqueue needs virtio devices")]
    [InlineData("hugepages-2m,hugepages-1g", "pick one")]
    public void Refused_combinations_are_one_line_and_exit_code_2(string with, string message)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("exitsim-opt").FullName, "s.yaml");
        File.WriteAllText(file, WorkloadYaml.Make(disk: "ahci", nic: "e1000"));
        var r = CliRunner.Run("compare", file, "--with", with, "-r", "2", "--duration", "10ms");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        if (with.Contains("bogus")) Assert.Contains("known: " + string.Join(", ", OptimisationCatalog.All.Select(o => o.Name)), r.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Vhost_on_a_scenario_whose_only_virtio_device_is_a_disk_is_refused_naming_iothread(bool withEmulatedNic)
    {
        // Mainline Linux has vhost-net, vhost-scsi and vhost-vsock but no vhost-blk (drivers/vhost/).
        string yaml = WorkloadYaml.Make(disk: "virtio-blk", nic: "e1000", rx: withEmulatedNic ? 1 : 0, tx: withEmulatedNic ? 1 : 0);
        if (!withEmulatedNic)
        {
            int start = yaml.IndexOf("  nic: {", StringComparison.Ordinal), end = yaml.IndexOf('\n', start);
            yaml = yaml.Remove(start, end - start + 1);
        }
        string file = Path.Combine(Directory.CreateTempSubdirectory("exitsim-opt").FullName, "s.yaml");
        File.WriteAllText(file, yaml);
        var r = CliRunner.Run("compare", file, "--with", "vhost", "-r", "2", "--duration", "10ms");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Contains("mainline Linux has no vhost-blk", r.Error);
        Assert.Contains("use iothread", r.Error);
        Assert.Equal(0, CliRunner.Run("compare", file, "--with", "iothread", "-r", "2", "--duration", "10ms").ExitCode);
    }

    [Fact]
    public void An_unknown_optimisation_in_yaml_is_located()
    {
        string yaml = WorkloadYaml.Make() + "\noptimisations: [virtio, apicvv]\n";
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "s.yaml"));
        Assert.Contains("unknown optimisation 'apicvv' (did you mean 'apicv'?", e.Message);
        Assert.StartsWith("s.yaml:", e.Located);
    }

    [Fact]
    public void Comparing_a_workload_with_itself_gives_exactly_zero_change()
    {
        var s = Base();
        var c = ComparisonRunner.Run(s, s, "nothing", new RunOptions { Replications = 3, DurationNs = 50e6 });
        Assert.Contains(c.Metrics, m => m.Name == "throughput_ops_per_second" && m.Before > 0);
        foreach (var m in c.Metrics)
        {
            Assert.Equal(m.Before, m.After);
            Assert.Equal(0, m.DeltaPct);
            Assert.True(m.Ci95Pct is null or 0);
        }
    }

    [Fact]
    public void A_scenario_round_trips_through_yaml_with_its_workload()
    {
        var s = OptimisationCatalog.Apply(Base(), ["virtio", "vhost", "multiqueue"]) with { Optimisations = new EquatableArray<string>(["apicv", "hugepages-2m"]) };
        var back = ScenarioLoader.Parse(ScenarioWriter.Write(s), "test.yaml");
        Assert.Equal(s, back with { SourcePath = s.SourcePath });
    }

    [Fact]
    public void List_optimisations_prints_each_with_its_mechanism_and_source()
    {
        var r = CliRunner.Run("list", "optimisations");
        Assert.Equal(0, r.ExitCode);
        foreach (var o in OptimisationCatalog.All)
        {
            Assert.Contains(o.Name + (o.Vendor is null ? ": " : " ("), r.Out);
            Assert.Contains(o.Mechanism, r.Out);
            Assert.Contains(o.Source, r.Out);
        }
    }
}
