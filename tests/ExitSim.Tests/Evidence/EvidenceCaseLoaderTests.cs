using ExitSim.Evidence;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Evidence;

public class EvidenceCaseLoaderTests
{
    /// <summary>A small expressible case; <paramref name="edit"/> breaks one thing in it.</summary>
    internal static string Case(string band = "low: 1000\n  high: 1200", string figureArm = "loop", string extra = "", string vm = "{ vcpus: 1 }") => $"""
        id: T-1
        title: a tight loop of CPUID exits
        mechanism: fixed exit cost
        source: {"{"} title: synthetic, venue: tests, date: 2026-12-01 {"}"}
        published: {"{"} value: 1100, unit: cyc, text: "1,100 cyc" {"}"}
        run: {"{"} duration: 2ms, warmup: 0ms, replications: 3, seed: 7 {"}"}
        arms:
          loop:
            scenario:
              host: {"{"} vendor: intel, ghz: 2.0, cores: 2 {"}"}
              costs: {"{"} save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) {"}"}
              vm: {vm}
              exits:
                CPUID: {"{"} interval: const(5ns) {"}"}
          slow:
            from: loop
            set: {"{"} costs.handle: const(1000cyc) {"}"}
        figure:
          kind: value
          metric: mean_exit_latency_ns
          in: cyc
          arm: {figureArm}
        band:
          {band}
          reason: synthetic
        {extra}
        """;

    private static ScenarioException Fails(string text) => Assert.Throws<ScenarioException>(() => EvidenceCaseLoader.Parse(text, "case.yaml"));

    [Fact]
    public void A_good_case_loads_with_its_arms_built_and_checked()
    {
        var c = EvidenceCaseLoader.Parse(Case(), "case.yaml");
        Assert.Equal("T-1", c.Id);
        Assert.Equal(CaseStatus.Expressible, c.Status);
        Assert.Equal(["loop", "slow"], c.Arms.Select(a => a.Name));
        Assert.Equal(3, c.Arm("slow").Scenario.Run.Replications);
        Assert.Equal(["costs.handle=const(1000cyc)"], c.Arm("slow").Set);
        Assert.Equal("cyc", c.Figure!.Unit);
        Assert.Equal(new ToleranceBand(1000, 1200, "synthetic"), c.Band);
    }

    [Fact]
    public void An_unknown_key_is_located_with_a_did_you_mean()
    {
        var e = Fails(Case(extra: "titel: again"));
        Assert.StartsWith("case.yaml:27:1: unknown key 'titel'", e.Located);
        Assert.Contains("did you mean 'title'?", e.Located);
    }

    [Fact]
    public void A_figure_naming_no_arm_is_located_at_the_name()
    {
        var e = Fails(Case(figureArm: "lop"));
        Assert.StartsWith("case.yaml:22:8: figure.arm 'lop' is not an arm (did you mean 'loop'?)", e.Located);
    }

    [Fact]
    public void A_bad_arm_scenario_is_located_at_the_arm_and_says_what_is_wrong()
    {
        var e = Fails(Case(vm: "{ vcpus: 1, memry: 1GiB }"));
        Assert.StartsWith("case.yaml:9:5: arm 'loop': ", e.Located);
        Assert.Contains("unknown key 'memry' in 'vm' (did you mean 'memory'?)", e.Located);
    }

    [Fact]
    public void A_band_upside_down_and_a_unit_mismatch_are_refused()
    {
        Assert.Contains("band.high 900 is below band.low 1000", Fails(Case(band: "low: 1000\n  high: 900")).Located);
        var e = Fails(Case().Replace("unit: cyc", "unit: \"%\""));
        Assert.StartsWith("case.yaml:5:12: published.unit '%' differs from the figure's unit 'cyc'", e.Located);
    }

    [Fact]
    public void A_not_expressible_case_must_say_what_it_needs_and_carries_no_arms()
    {
        const string head = "id: N-1\ntitle: t\nmechanism: m\nsource: { title: s, venue: v, date: d }\npublished: { value: 3.1, unit: x, text: \"3.1x\" }\nstatus: not-expressible\n";
        Assert.StartsWith("case.yaml:6:9: a not-expressible case says which mechanism is missing", Fails(head).Located);
        var arms = Fails(head + "needs: nested virtualisation\narms: { a: { scenario: x.yaml } }\n");
        Assert.StartsWith("case.yaml:8:7: a not-expressible case has no arms:", arms.Located);
        var ok = EvidenceCaseLoader.Parse(head + "needs: nested virtualisation\n", "case.yaml");
        Assert.Equal("nested virtualisation", ok.Needs);
        Assert.Empty(ok.Arms);
    }

    [Fact]
    public void Too_few_replications_for_a_CI_is_refused()
    {
        var e = Fails(Case().Replace("replications: 3", "replications: 1"));
        Assert.StartsWith("case.yaml:6:6: run.replications: a case needs at least 2 replications", e.Located);
    }

    [Fact]
    public void A_missing_parameter_set_is_located()
    {
        var e = Fails(Case(extra: "parameters: intel-nowhere"));
        Assert.StartsWith("case.yaml:27:13: parameters 'intel-nowhere': no file parameters/intel-nowhere.yaml", e.Located);
    }

    [Fact]
    public void Every_shipped_case_loads()
    {
        var cases = EvidenceCaseLoader.LoadFolder(Repo.Path("validation", "published"));
        Assert.Contains(cases, c => c.Id == "PC-12" && c.Status == CaseStatus.Expressible);
        foreach (var id in new[] { "PC-01", "PC-03", "PC-04", "PC-09", "PC-10", "PC-14" })
            Assert.Contains(cases, c => c.Id == id);
        Assert.All(cases.Where(c => c.Status == CaseStatus.NotExpressible), c => Assert.False(string.IsNullOrWhiteSpace(c.Needs)));
    }
}
