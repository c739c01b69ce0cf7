using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using static ExitSim.Tests.Workload.VmexitTests;

namespace ExitSim.Tests.Workload;

/// <summary>
/// The guest's LAPIC timer in KVM: the arm inside the TSC_DEADLINE write (host.timer_arm), the injection inside the exit that
/// finds it expired (host.timer_inject), how KVM backs the timer (VMX preemption timer, or a host hrtimer once MWAIT is passed
/// through), and posted timer interrupts (posted-timer, KVM's pi_inject_timer).
/// </summary>
public class TimerPathTests
{
    // Phases 300 + 500 + 300 cyc, fastpath saving 440 cyc, at 2 GHz (as in VmexitTests); arm 350, inject 200 cyc.
    private const double Save = 300, Handle = 500, Reenter = 300, Saving = 440, Loop = 100, Handler = 300, Deadline = 3000;
    private const double Arm = 350, Inject = 200;

    private static string WithSteps(string yaml) => yaml.Replace("cores: 4,", "cores: 4, timer_arm: 350cyc, timer_inject: 200cyc,");

    [Fact]
    public void Tscdeadline_immed_arms_and_injects_inside_its_msr_write_and_the_fastpath_keeps_both()
    {
        var o = Run(WithSteps(Yaml("tscdeadline_immed", vcpus: 1)));
        Assert.Equal(Loop + Save + (Handle - Saving + Arm + Inject) + Reenter + Handler, o.RoundTripCycles, 6);
        var full = Run(WithSteps(Yaml("tscdeadline_immed", "[ept, apicv, pv-eoi]", vcpus: 1)));
        Assert.Equal(Saving, full.RoundTripCycles - o.RoundTripCycles, 6);
        // Zero costs are the reason's own site: the round trip without them.
        Assert.Equal(Arm + Inject, o.RoundTripCycles - Run(Yaml("tscdeadline_immed", vcpus: 1)).RoundTripCycles, 6);
    }

    [Fact]
    public void Tscdeadline_injects_in_its_preemption_timer_exit_and_hides_the_arm_in_the_wait()
    {
        var o = Run(WithSteps(Yaml("tscdeadline", vcpus: 1)));
        Assert.Equal(1, o.ExitsPerIteration["PREEMPTION_TIMER"], 1);
        Assert.Equal(Loop + Deadline + Save + (Handle - Saving + Inject) + Reenter + Handler, o.RoundTripCycles, 6);
    }

    [Fact]
    public void With_mwait_in_the_guest_the_timer_is_a_host_hrtimer_and_its_write_takes_no_fastpath()
    {
        // kvm_can_use_hv_timer is false with MWAIT passed through: the deadline fires as the host timer's interrupt, and
        // handle_fastpath_set_tscdeadline refuses the write.
        var o = Run(WithSteps(Yaml("tscdeadline", "[ept, apicv, pv-eoi, exit-fastpath, disable-exits]", vcpus: 1)));
        Assert.Equal(["EXTERNAL_INTERRUPT", "MSR_WRITE"], o.ExitsPerIteration.Keys.Order());
        Assert.Equal(Loop + Deadline + Save + (Handle + Inject) + Reenter + Handler, o.RoundTripCycles, 6);
        var immed = Run(WithSteps(Yaml("tscdeadline_immed", "[ept, apicv, pv-eoi, exit-fastpath, disable-exits]", vcpus: 1)));
        Assert.Equal(Loop + Save + (Handle + Arm + Inject) + Reenter + Handler, immed.RoundTripCycles, 6);
    }

    [Fact]
    public void A_posted_timer_reaches_the_spinning_guest_without_an_exit()
    {
        string features = "[ept, apicv, pv-eoi, exit-fastpath, disable-exits, posted-timer]";
        var o = Run(WithSteps(Yaml("tscdeadline", features, vcpus: 1)).Replace("cores: 4,", "cores: 4, tick_hz: 0,"));
        Assert.Equal(["MSR_WRITE"], o.ExitsPerIteration.Keys);
        Assert.Equal(Loop + Deadline + Handler, o.RoundTripCycles, 6);
    }

    /// <summary>Two busy vCPUs, a 1000 Hz guest tick, nothing else that exits on the timer's reasons.</summary>
    private static RunReport Busy(string features, string hostExtra = "")
    {
        string yaml = WorkloadYaml.Make(vcpus: 2, clients: 2, think: "0ns", compute: "exp(2ms)", diskIo: 0, rx: 1, tx: 0,
                features: features, touch: "0B/s", masked: 0, duration: "400ms")
            .Replace("timer_hz: 250", "timer_hz: 1000").Replace("cores: 8,", "cores: 8," + hostExtra);
        return ReportBuilder.Build(ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml")));
    }

    private static double Rate(RunReport r, string reason) => r.Reasons.FirstOrDefault(x => x.Name == reason)?.RatePerSecond ?? 0;

    [Fact]
    public void With_disable_exits_and_apicv_a_posted_periodic_timer_makes_no_expiry_exits()
    {
        var hv = Busy("[ept, apicv]");
        var hrtimer = Busy("[ept, apicv, disable-exits]");
        var posted = Busy("[ept, apicv, disable-exits, posted-timer]", " tick_hz: 0,");
        Assert.InRange(Rate(hv, "PREEMPTION_TIMER"), 1500, 2000);   // 2 busy vCPUs × 1000 Hz
        Assert.Equal(0, Rate(hrtimer, "PREEMPTION_TIMER"));
        Assert.InRange(Rate(hrtimer, "EXTERNAL_INTERRUPT"), 1500, 2000);
        Assert.Equal(0, Rate(posted, "PREEMPTION_TIMER"));
        Assert.Equal(0, Rate(posted, "EXTERNAL_INTERRUPT"));
        // The guest still re-arms every tick: the MSR writes stay (1k/s of other MSR writes in the scenario besides).
        Assert.InRange(Rate(posted, "MSR_WRITE") - Rate(hv, "MSR_WRITE"), -100, 100);
    }

    [Theory]
    [InlineData("[ept, apicv, posted-timer]", "", "works only with disable-exits")]
    [InlineData("[ept, disable-exits, posted-timer]", "", "works only with apicv")]
    [InlineData("[ept, apicv, disable-exits, posted-timer]", " tick_hz: 250,", "nohz_full")]
    public void Posted_timers_without_their_conditions_are_refused(string features, string hostExtra, string message)
    {
        string yaml = WorkloadYaml.Make(features: features).Replace("cores: 8,", "cores: 8," + hostExtra);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "t.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Matches(@"^t\.yaml:\d+:\d+: ", e.Located);
    }

    [Fact]
    public void The_posted_timer_plugin_is_refused_where_it_cannot_post()
    {
        var s = ScenarioLoader.Parse(WorkloadYaml.Make(features: "[ept, apicv]"), "t.yaml");
        var e = Assert.Throws<OptimisationException>(() => OptimisationCatalog.Apply(s, ["posted-timer"]));
        Assert.Contains("disable-exits", e.Message);
        var ok = OptimisationCatalog.Apply(s, ["disable-exits", "posted-timer"]);
        Assert.Contains("posted-timer", ok.Host.Features);
    }

    [Fact]
    public void Timer_costs_round_trip_through_the_writer()
    {
        var s = ScenarioLoader.Parse(WithSteps(Yaml("tscdeadline")), "vx.yaml");
        var back = ScenarioLoader.Parse(ScenarioWriter.Write(s), "back.yaml");
        Assert.Equal(s with { SourcePath = null }, back with { SourcePath = null });
        Assert.Equal(350, back.Host.TimerArm.Value);
        Assert.Equal(200, back.Host.TimerInject.Value);
    }
}
