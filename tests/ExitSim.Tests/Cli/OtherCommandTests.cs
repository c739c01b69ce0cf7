namespace ExitSim.Tests.Cli;

public class OtherCommandTests
{
    [Fact]
    public void Validate_accepts_every_shipped_scenario()
    {
        var r = CliRunner.Run(["validate", .. Repo.ShippedScenarios()]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(Repo.ShippedScenarios().Count(), r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Contains(": ok (", l));
    }

    [Fact]
    public void Validate_reports_each_bad_file_on_one_line()
    {
        string bad = Path.Combine(Path.GetTempPath(), "exitsim-v-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(bad, "name: x\nhost: { vendor: intel, ghz: 2, cores: 2 }\nvm: { vcpus: 1 }\nexits:\n  IO_INSTRUCTON: { rate: 1k/s }\n");
        var r = CliRunner.Run("validate", Repo.Path("scenarios", "seed-article", "web.yaml"), bad);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("web.yaml: ok", r.Out);
        Assert.Equal($"{bad}:5:3: unknown exit reason 'IO_INSTRUCTON' for vendor intel (did you mean IO_INSTRUCTION?)", r.Error.TrimEnd());
    }

    [Fact]
    public void List_reasons_prints_both_vendors_names_as_the_kernel_does()
    {
        var r = CliRunner.Run("list", "reasons");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("IO_INSTRUCTION", r.Out);
        Assert.Contains("EPT_VIOLATION", r.Out);
        Assert.Contains("npf", r.Out);
        Assert.Contains("avic_incomplete_ipi", r.Out);
        var amd = CliRunner.Run("list", "reasons", "--vendor", "amd");
        Assert.DoesNotContain("IO_INSTRUCTION", amd.Out);
        Assert.Equal(2, CliRunner.Run("list", "reasons", "--vendor", "arm").ExitCode);
    }

    [Fact]
    public void Help_works() => Assert.Equal(0, CliRunner.Run("--help").ExitCode);
}

public class ProbeCommandTests
{
    [SkippableFact]
    public void Probe_without_usable_kvm_says_why_with_exit_code_2()
    {
        using (var host = ExitSim.Probe.KvmHost.TryOpen(out _))
            Skip.If(host is not null, "this host has usable /dev/kvm: the no-KVM message cannot be seen here (the probe tests cover a KVM host)");
        var r = CliRunner.Run("probe", "--quick");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("exitsim: probe: ", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        r = CliRunner.Run("probe", "--quick", "--validate");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("exitsim: probe: ", r.Error);
    }

    [Fact]
    public void Validation_options_without_validate_or_with_o_are_usage_errors()
    {
        var r = CliRunner.Run("probe", "--profile", "p.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--profile and --scenarios go with --validate", r.Error);
        r = CliRunner.Run("probe", "--validate", "--profile", "p.yaml", "-o", "q.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("give one of them", r.Error);
    }

    [Fact]
    public void A_profile_without_the_guest_loop_is_refused_before_any_kvm_work()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("exitsim-probe").FullName, "old.yaml");
        File.WriteAllText(path, "host_profile:\n  paths:\n    userspace_pio: 12us\n");
        var r = CliRunner.Run("probe", "--validate", "--profile", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"{path}:1:1: the host profile has no 'guest_loop:' (written by exitsim probe since validation was added: probe again)", r.Error.TrimEnd());
    }
}
