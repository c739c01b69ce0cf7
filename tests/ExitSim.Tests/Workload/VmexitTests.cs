using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Workload;

/// <summary>
/// The vmexit.flat microbenchmark (vmexit:) and KVM's exit fastpath: each test's iteration takes exactly the exits its
/// guest sequence causes on the host, and its round trip is the closed form of their phases and the guest's steps.
/// </summary>
public class VmexitTests
{
    // Phases 300 + 500 + 300 cyc, fastpath saving 440 cyc, at 2 GHz: cycles below are ns × 2.
    private const double Save = 300, Handle = 500, Reenter = 300, Saving = 440;
    private const double Loop = 100, Handler = 300, Delivery = 3000, Ack = 150, Deadline = 3000;

    internal static string Yaml(string test, string features = "[ept, apicv, pv-eoi, exit-fastpath]", string apic = "x2apic",
        string vendor = "intel", string loop = "100cyc", int vcpus = 2)
    {
        bool ipi = test == "ipi", interrupted = test is "ipi" or "tscdeadline_immed" or "tscdeadline";
        return $$"""
            name: vx
            host: { vendor: {{vendor}}, ghz: 2.0, cores: 4, features: {{features}} }
            costs: { save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) }
            vm: { vcpus: {{vcpus}}, halt_poll: 0ns }
            interrupts: { apic: {{apic}} }
            vmexit:
              test: {{test}}
              loop: const({{loop}})
            {{(interrupted ? "  handler: const(300cyc)\n" : "")}}{{(ipi ? "  delivery: const(3000cyc)\n  ack: const(150cyc)\n" : "")}}
            run: { duration: 400us, warmup: 40us, replications: 2, seed: 3 }
            """;
    }

    internal sealed record Outcome(double RoundTripCycles, Dictionary<string, double> ExitsPerIteration, long Iterations);

    internal static Outcome Run(string yaml, params string[] with)
    {
        var s = ScenarioLoader.Parse(yaml, "vx.yaml");
        if (with.Length > 0) s = OptimisationCatalog.Apply(s, with);
        var r = ExperimentRunner.Run(s);
        long ops = r.Replications.Sum(x => x.Workload!.OperationsCompleted);
        double sum = r.Replications.Sum(x => x.Workload!.OperationLatencySum);
        var perIteration = r.Model.Reasons.Select((m, i) => (m.Name, Count: r.Replications.Sum(x => x.Reasons[i].Count)))
            .Where(x => x.Count > 0).ToDictionary(x => x.Name, x => (double)x.Count / ops);
        return new Outcome(sum / ops * 2.0, perIteration, ops);
    }

    private static void Exits(Outcome o, params (string Reason, double PerIteration)[] expected)
    {
        Assert.True(o.Iterations > 100, $"only {o.Iterations} iterations");
        Assert.Equal(expected.Select(e => e.Reason).Order(), o.ExitsPerIteration.Keys.Order());
        // Exits at the window's edges belong to iterations cut off by it: within one iteration in the whole run.
        foreach (var (reason, per) in expected) Assert.InRange(o.ExitsPerIteration[reason], per - 2.5 / o.Iterations, per + 2.5 / o.Iterations);
    }

    [Theory]
    [InlineData("cpuid", "CPUID")]
    [InlineData("vmcall", "VMCALL")]
    public void Cpuid_and_vmcall_are_one_exit_per_iteration(string test, string reason)
    {
        var o = Run(Yaml(test, vcpus: 1));
        Exits(o, (reason, 1));
        Assert.Equal(Loop + Save + Handle + Reenter, o.RoundTripCycles, 6);
        // Neither takes the fastpath: the same round trip without it.
        Assert.Equal(o.RoundTripCycles, Run(Yaml(test, "[ept, apicv, pv-eoi]", vcpus: 1)).RoundTripCycles, 6);
    }

    [Fact]
    public void Ipi_in_x2apic_mode_with_apicv_is_one_msr_write_on_the_fastpath()
    {
        // Sender: loop, MSR_WRITE(ICR) up to the send (save + handle); the target is posted to while running; ack.
        var o = Run(Yaml("ipi"));
        Exits(o, ("MSR_WRITE", 1));
        Assert.Equal(Loop + Save + (Handle - Saving) + Delivery + Handler + Ack, o.RoundTripCycles, 6);
        var full = Run(Yaml("ipi", "[ept, apicv, pv-eoi]"));
        Exits(full, ("MSR_WRITE", 1));
        Assert.Equal(Saving, full.RoundTripCycles - o.RoundTripCycles, 6);
    }

    [Fact]
    public void Ipi_in_xapic_mode_with_apicv_is_one_trap_like_apic_write_on_the_full_path()
    {
        var o = Run(Yaml("ipi", apic: "xapic"));
        Exits(o, ("APIC_WRITE", 1));
        Assert.Equal(Loop + Save + Handle + Delivery + Handler + Ack, o.RoundTripCycles, 6);
        Assert.Equal(o.RoundTripCycles, Run(Yaml("ipi", "[ept, apicv, pv-eoi]", apic: "xapic")).RoundTripCycles, 6);
    }

    [Theory]
    [InlineData("x2apic")]
    [InlineData("xapic")]
    public void Ipiv_removes_the_unicast_senders_exit(string apic)
    {
        var o = Run(Yaml("ipi", apic: apic), "ipiv");
        Assert.Empty(o.ExitsPerIteration);
        Assert.Equal(Loop + Delivery + Handler + Ack, o.RoundTripCycles, 6);
    }

    [Theory]
    [InlineData("x2apic", "MSR_WRITE", true)]
    [InlineData("xapic", "APIC_ACCESS", false)]
    public void Without_apicv_the_target_exits_for_the_interrupt_and_its_eoi(string apic, string write, bool fast)
    {
        // A long loop, so the target's EOI exit is over before the next IPI (else KVM injects that one at entry).
        var o = Run(Yaml("ipi", "[ept, exit-fastpath]", apic, loop: "3000cyc"));
        Exits(o, (write, 2), ("EXTERNAL_INTERRUPT", 1));
        double sender = Save + (fast ? Handle - Saving : Handle);
        Assert.Equal(3000 + sender + (Save + Handle + Reenter) + Delivery + Handler + Ack, o.RoundTripCycles, 6);
    }

    [Fact]
    public void Tscdeadline_immed_is_the_msr_write_and_an_interrupt_injected_at_its_entry()
    {
        var o = Run(Yaml("tscdeadline_immed", vcpus: 1));
        Exits(o, ("MSR_WRITE", 1));
        Assert.Equal(Loop + Save + (Handle - Saving) + Reenter + Handler, o.RoundTripCycles, 6);
        Assert.Equal(Saving, Run(Yaml("tscdeadline_immed", "[ept, apicv, pv-eoi]", vcpus: 1)).RoundTripCycles - o.RoundTripCycles, 6);
    }

    [Fact]
    public void Tscdeadline_waits_for_the_deadline_and_only_the_preemption_timer_exit_is_on_its_critical_path()
    {
        var o = Run(Yaml("tscdeadline", vcpus: 1));
        Exits(o, ("MSR_WRITE", 1), ("PREEMPTION_TIMER", 1));
        Assert.Equal(Loop + Deadline + Save + (Handle - Saving) + Reenter + Handler, o.RoundTripCycles, 6);
        // Both exits take the fastpath, but the MSR write's is hidden in the wait: one saving per iteration.
        Assert.Equal(Saving, Run(Yaml("tscdeadline", "[ept, apicv, pv-eoi]", vcpus: 1)).RoundTripCycles - o.RoundTripCycles, 6);
    }

    [Fact]
    public void Without_apicv_the_timer_handlers_eoi_exits_and_takes_no_fastpath()
    {
        var o = Run(Yaml("tscdeadline", "[ept, exit-fastpath]", vcpus: 1));
        Exits(o, ("MSR_WRITE", 2), ("PREEMPTION_TIMER", 1));
        Assert.Equal(Loop + Deadline + Save + (Handle - Saving) + Reenter + Handler + Save + Handle + Reenter, o.RoundTripCycles, 6);
    }

    [Fact]
    public void On_amd_the_timer_expires_as_a_host_interrupt_and_nothing_takes_the_fastpath()
    {
        var o = Run(Yaml("tscdeadline", "[npt, pv-eoi]", vendor: "amd", vcpus: 1));
        Exits(o, ("msr", 2), ("interrupt", 1));
        // The write's exit is hidden in the wait; then the hrtimer's 'interrupt' exit, the handler, its EOI's 'msr' exit.
        Assert.Equal(Loop + Deadline + (Save + Handle + Reenter) + Handler + (Save + Handle + Reenter), o.RoundTripCycles, 6);
    }

    [Fact]
    public void The_fastpath_lowers_only_icr_and_tsc_deadline_writes_and_the_preemption_timer()
    {
        // A workload VM with ticks, x2APIC IPIs, no APICv (so EOIs are MSR_WRITEs too) and a measured MSR_WRITE rate.
        string yaml = WorkloadYaml.Make(vcpus: 2, clients: 4, think: "exp(50us)", features: "[ept, exit-fastpath]", duration: "10ms");
        var on = ModelBuilder.Build(ScenarioLoader.Parse(yaml, "w.yaml"));
        var off = ModelBuilder.Build(ScenarioLoader.Parse(yaml.Replace("features: [ept, exit-fastpath]", "features: [ept]"), "w.yaml"));
        double saving = -Saving / 2.0;
        var w = on.Workload!;
        Assert.Equal(saving, on.Sites[w.SiteIcr].HandleExtraNs);
        Assert.Equal(saving, on.Sites[w.SiteTickRearm].HandleExtraNs);
        var tick = on.WallSources.Single(x => x.Name == "timer");
        Assert.All(tick.Sites, site => Assert.Equal(saving, on.Sites[site].HandleExtraNs));
        Assert.Equal(["PREEMPTION_TIMER", "MSR_WRITE"], tick.Sites.Select(site => on.Reasons[on.Sites[site].Reason].Name));
        // Everything else is as it was: the EOI, the reasons' own sites (a measured MSR_WRITE rate: any MSR), the devices.
        Assert.Equal(0, on.Sites[w.SiteEoiEdge].HandleExtraNs);
        Assert.Equal(off.Sites.Length + 3, on.Sites.Length);
        for (int i = 0; i < off.Sites.Length; i++) Assert.Equal(off.Sites[i].HandleExtraNs, on.Sites[i].HandleExtraNs);
        Assert.Equal(-1, off.Sites.ToList().FindIndex(x => x.HandleExtraNs < 0));
    }

    [Fact]
    public void Exit_fastpath_is_on_in_todays_defaults_and_compare_refuses_it_as_already_on()
    {
        var s = ScenarioLoader.Parse(Yaml("cpuid", vcpus: 1).Replace("features: [ept, apicv, pv-eoi, exit-fastpath] ", ""), "vx.yaml");
        Assert.Contains("exit-fastpath", s.Host.Features);
        Assert.Contains("already on", OptimisationCatalog.AlreadyOn(s, "exit-fastpath"));
        var before = ScenarioLoader.Parse(Yaml("cpuid", "[ept, apicv, pv-eoi]", vcpus: 1), "vx.yaml");
        Assert.Null(OptimisationCatalog.AlreadyOn(before, "exit-fastpath"));
        Assert.Contains("host.features exit-fastpath off (default on)", HostDefaultsDiff.Of(before).Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("cpuid")]
    [InlineData("vmcall")]
    [InlineData("ipi")]
    [InlineData("tscdeadline_immed")]
    [InlineData("tscdeadline")]
    public void A_vmexit_scenario_round_trips_through_the_writer(string test)
    {
        var s = ScenarioLoader.Parse(Yaml(test, apic: "xapic").Replace("cores: 4,", "cores: 4, fastpath_saving: 500cyc, ipi_send: 250cyc,"), "vx.yaml");
        Assert.Equal(ApicMode.Xapic, s.Interrupts.Apic);
        var back = ScenarioLoader.Parse(ScenarioWriter.Write(s), "back.yaml");
        Assert.Equal(s with { SourcePath = null }, back with { SourcePath = null });
        Assert.Equal(500, back.Host.FastpathSaving.Value);
        Assert.Equal(250, back.Host.IpiSend.Value);
        Assert.Equal(test, VmexitSpec.Name(back.Vmexit!.Test));
    }

    [Theory]
    [InlineData("test: ipi", "test: pingpong", "must be one of")]
    [InlineData("vcpus: 2", "vcpus: 1", "needs at least 2 vCPUs")]
    [InlineData("  loop: const(100cyc)", "  loop: const(100cyc)\n  deadline: 5000cyc", "only tscdeadline")]
    [InlineData("  loop: const(100cyc)", "  loop: const(100cyc)\n  bogus: 1", "bogus")]
    [InlineData("cores: 4,", "cores: 4, fastpath_saving: -5cyc,", "fastpath_saving")]
    public void Bad_vmexit_input_is_one_located_line(string line, string replacement, string message)
    {
        string yaml = Yaml("ipi").Replace(line, replacement);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "vx.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Matches(@"^vx\.yaml:\d+:\d+: ", e.Located);
    }

    [Fact]
    public void A_vmexit_test_and_a_workload_cannot_share_a_scenario()
    {
        string yaml = WorkloadYaml.Make(vcpus: 2, clients: 4, think: "exp(50us)", duration: "10ms") + "\nvmexit: { test: cpuid, loop: const(10cyc) }\n";
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "vx.yaml"));
        Assert.Contains("either a vmexit.flat test or a workload", e.Message);
    }

    [Fact]
    public void Exit_fastpath_is_refused_on_an_amd_host()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Yaml("cpuid", "[npt, exit-fastpath]", vendor: "amd", vcpus: 1), "vx.yaml"));
        Assert.Contains("Intel feature", e.Message);
    }
}
