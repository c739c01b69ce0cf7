using ExitSim.Scenarios;

namespace ExitSim.Tests.Scenarios;

/// <summary>Every validation rule gives one located line: file:line:col: message (hint).</summary>
public class ScenarioValidationTests
{
    private static ScenarioException Fails(string yaml)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "s.yaml"));
        Assert.StartsWith("s.yaml:", e.Located);
        Assert.DoesNotContain("\n", e.Located);
        return e;
    }

    private static void AssertError(string yaml, int line, int col, string message)
    {
        var e = Fails(yaml);
        Assert.Contains(message, e.Message);
        Assert.Equal((line, col), (e.Line, e.Column));
    }

    [Fact]
    public void The_minimal_scenario_is_valid()
    {
        var s = ScenarioLoader.Parse(ScenarioText.Minimal, "s.yaml");
        Assert.Equal("tiny", s.Name);
        Assert.Equal(2, s.Exits.Count);
        Assert.Equal(7UL, s.Run.Seed);
    }

    [Fact]
    public void Unknown_key_suggests_the_closest() =>
        AssertError(ScenarioText.With("seed: 7", "sed: 7"), 23, 3, "unknown key 'sed' in 'run' (did you mean 'seed'?)");

    [Fact]
    public void Unknown_top_level_key() =>
        AssertError(ScenarioText.Minimal + "\nworkloads: {}", 24, 1, "unknown key 'workloads' at the top level");

    [Fact]
    public void Wrong_type() =>
        AssertError(ScenarioText.With("vcpus: 2", "vcpus: two"), 11, 10, "'vcpus' must be a whole number, got 'two'");

    [Fact]
    public void Fraction_where_a_whole_number_is_needed() =>
        AssertError(ScenarioText.With("replications: 3", "replications: 2.5"), 22, 17, "'replications' must be a whole number");

    [Fact]
    public void Map_where_a_value_is_needed() =>
        AssertError(ScenarioText.With("vcpus: 2", "vcpus: [2]"), 11, 10, "'vcpus' must be a single value, got a list");

    [Fact]
    public void Bad_unit() =>
        AssertError(ScenarioText.With("duration: 50ms", "duration: 2 sec"), 20, 13, "unknown time unit 'sec' in '2 sec' (use s)");

    [Fact]
    public void Missing_unit() =>
        AssertError(ScenarioText.With("rate: 30k/s", "rate: 30000"), 18, 11, "has no unit (write e.g. 30000/s)");

    [Fact]
    public void Zero_where_positive_is_required() =>
        AssertError(ScenarioText.With("duration: 50ms", "duration: 0s"), 20, 13, "'duration' must be greater than zero");

    [Fact]
    public void Negative_where_positive_is_required() =>
        AssertError(ScenarioText.With("ghz: 2.0", "ghz: -2"), 4, 8, "'ghz' must be greater than zero, got -2");

    [Fact]
    public void Negative_cost_points_inside_the_distribution() =>
        AssertError(ScenarioText.With("emulate: exp(2us)", "emulate: exp(-2us)"), 16, 18, "a time cannot be negative");

    [Fact]
    public void Unknown_distribution() =>
        AssertError(ScenarioText.With("emulate: exp(2us)", "emulate: expo(2us)"), 16, 14, "unknown distribution 'expo' (did you mean 'exp'?)");

    [Fact]
    public void Unknown_reason_suggests_the_closest() =>
        AssertError(ScenarioText.With("MSR_WRITE:", "MSR_WRTE:"), 17, 3, "unknown exit reason 'MSR_WRTE' for vendor intel (did you mean MSR_WRITE?)");

    [Fact]
    public void Lower_case_reason_on_intel_gives_the_kernel_spelling() =>
        AssertError(ScenarioText.With("MSR_WRITE:", "msr_write:"), 17, 3, "did you mean MSR_WRITE?");

    [Fact]
    public void Userspace_exit_names_are_not_hardware_reasons() =>
        AssertError(ScenarioText.With("MSR_WRITE:", "KVM_EXIT_INTR:"), 17, 3, "'KVM_EXIT_INTR' is a userspace exit reason of kvm_run, not a hardware exit (did you mean EXTERNAL_INTERRUPT?)");

    [Fact]
    public void Vendor_reason_mismatch_names_the_analogue() =>
        AssertError(ScenarioText.With("MSR_WRITE:", "npf:"), 17, 3, "'npf' is an AMD (SVM) exit reason, but the host is vendor: intel (VMX reason names, upper case) (did you mean EPT_VIOLATION?)");

    [Fact]
    public void Vmx_reason_on_an_amd_host()
    {
        string yaml = ScenarioText.With("vendor: intel", "vendor: amd").Replace("IO_INSTRUCTION:", "io:");
        AssertError(yaml, 17, 3, "'MSR_WRITE' is an Intel (VMX) exit reason, but the host is vendor: amd (SVM reason names, lower case) (did you mean msr?)");
    }

    [Fact]
    public void Vendor_feature_mismatch() =>
        AssertError(ScenarioText.With("cores: 4", "cores: 4\nfeatures: [ept, avic]"), 6, 19, "'avic' is an AMD feature but the host is vendor: intel (Intel has apicv)");

    [Fact]
    public void Unknown_vendor() =>
        AssertError(ScenarioText.With("vendor: intel", "vendor: intell"), 3, 11, "'vendor' must be one of intel, amd, got 'intell' (did you mean 'intel'?)");

    [Fact]
    public void Missing_required_section() =>
        AssertError(string.Join("\n", ScenarioText.Minimal.Split('\n').Where(l => !l.StartsWith("vm:") && !l.Contains("vcpus"))), 1, 1, "'vm' is required");

    [Fact]
    public void Emulate_on_a_kernel_path() =>
        AssertError(ScenarioText.With("rate: 30k/s", "rate: 30k/s\nemulate: exp(1us)"), 17, 3, "MSR_WRITE has an emulate cost but its path is kernel");

    [Fact]
    public void Missing_cost() =>
        AssertError(ScenarioText.With("emulate: exp(2us)", "rate: 1k/s").Replace("    rate: 20k/s\n", ""), 13, 3, "IO_INSTRUCTION has no emulate cost");

    [Fact]
    public void Rate_and_interval_together() =>
        AssertError(ScenarioText.With("rate: 30k/s", "rate: 30k/s\ninterval: exp(10us)"), 19, 15, "give either 'rate' or 'interval', not both");

    [Fact]
    public void Page_size_must_be_an_x86_page_size() =>
        AssertError(ScenarioText.With("vcpus: 2", "vcpus: 2\npage_size: 8KiB"), 12, 14, "'page_size' must be 4KiB, 2MiB or 1GiB");

    [Fact]
    public void Yaml_syntax_error_is_located()
    {
        var e = Fails(ScenarioText.With("vcpus: 2", "vcpus: [2"));
        Assert.Contains("YAML syntax error", e.Message);
        Assert.True(e.Line >= 11);
    }

    [Fact]
    public void Duplicate_key() =>
        AssertError(ScenarioText.With("vcpus: 2", "vcpus: 2\nvcpus: 3"), 12, 3, "duplicate key");

    [Fact]
    public void Unquoted_commas_in_a_flow_mapping_get_a_hint()
    {
        var e = Fails(ScenarioText.With("emulate: exp(2us)", "emulate: exp(2us)\n").Replace(
            "  IO_INSTRUCTION:\n    rate: 20k/s\n    path: userspace\n    emulate: exp(2us)\n",
            "  IO_INSTRUCTION: { rate: 20k/s, path: userspace, emulate: lognormal(mean=2us, cv=0.8) }\n"));
        Assert.Contains("must be quoted, or written in block style", e.Message);
    }

    [Fact]
    public void Nothing_exits() =>
        AssertError(ScenarioText.Minimal.Replace("    rate: 20k/s\n", "").Replace("    rate: 30k/s\n", ""), 12, 1, "nothing would ever exit");

    [Fact]
    public void Timer_ticks_need_costs_for_their_reasons()
    {
        string yaml = ScenarioText.With("vcpus: 2", "vcpus: 2\ntimer_hz: 250").Replace("  handle: exp(500ns)\n", "")
            .Replace("    rate: 30k/s\n", "    rate: 30k/s\n    handle: exp(1us)\n").Replace("    emulate: exp(2us)\n", "    emulate: exp(2us)\n    handle: exp(1us)\n");
        AssertError(yaml, 11, 3, "timer ticks exit as PREEMPTION_TIMER + MSR_WRITE: list PREEMPTION_TIMER under exits:");
    }

    [Fact]
    public void Empty_file_and_wrong_root() 
    {
        Assert.Contains("the scenario is empty", Fails("").Message);
        Assert.Contains("a scenario is a mapping", Fails("- a\n- b\n").Message);
    }

    [Fact]
    public void Missing_file()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile("/nonexistent/x.yaml"));
        Assert.Equal("/nonexistent/x.yaml:1:1: no such file (check the path)", e.Located);
    }

    [Fact]
    public void A_mistyped_path_suggests_the_file_that_exists()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(Repo.Path("scenarios", "databse.yml")));
        Assert.EndsWith($"no such file (did you mean {Repo.Path("scenarios", "database.yaml")}?)", e.Located);
    }

    [Fact]
    public void Kpi_targets_can_be_changed()
    {
        var s = ScenarioLoader.Parse(ScenarioText.Minimal + "\nkpis:\n  exit_rate: 50k/s\n  io_exit_share: 40%\n", "s.yaml");
        Assert.Equal(50_000, s.Kpis.MaxExitsPerSecond);
        Assert.Equal(0.4, s.Kpis.MaxIoExitShare, 12);
        AssertError(ScenarioText.Minimal + "\nkpis:\n  io_exit_share: 140%\n", 25, 18, "is a share between 0% and 100%");
    }
}
