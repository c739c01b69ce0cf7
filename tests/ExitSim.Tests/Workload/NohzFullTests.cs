using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Workload;

/// <summary>A nohz_full guest: the tick stops while a vCPU runs a single task (vm.nohz_full).</summary>
public class NohzFullTests
{
    private static RunReport Report(Scenario s) => ReportBuilder.Build(ExperimentRunner.Run(s));
    private static double Rate(RunReport r, string reason) => r.Reasons.FirstOrDefault(x => x.Name == reason)?.RatePerSecond ?? 0;

    /// <summary>CPU-bound vCPUs at a 1000 Hz guest tick: <paramref name="clients"/> per vCPU, long computations, no idle time.</summary>
    private static Scenario Busy(bool nohzFull, int clients, params string[] with)
    {
        string yaml = WorkloadYaml.Make(vcpus: 2, clients: 2 * clients, think: "0ns", compute: "exp(2ms)", diskIo: 0, rx: 1, tx: 0,
                features: "[ept, apicv]", touch: "0B/s", masked: 0, duration: "1s")
            .Replace("timer_hz: 250", "timer_hz: 1000" + (nohzFull ? ", nohz_full: true" : ""));
        var s = ScenarioLoader.Parse(yaml, "test.yaml");
        return with.Length > 0 ? OptimisationCatalog.Apply(s, with) : s;
    }

    [Fact]
    public void The_tick_stops_while_a_vcpu_runs_one_task()
    {
        var ticking = Report(Busy(nohzFull: false, clients: 1));
        var full = Report(Busy(nohzFull: true, clients: 1));
        Assert.InRange(Rate(ticking, "PREEMPTION_TIMER"), 1500, 2000);   // 2 busy vCPUs × 1000 Hz
        // One request per vCPU at a time: a vCPU runs its operation alone most of the time, so most ticks never come.
        Assert.True(Rate(full, "PREEMPTION_TIMER") < 0.3 * Rate(ticking, "PREEMPTION_TIMER"),
            $"{Rate(full, "PREEMPTION_TIMER")}/s with nohz_full vs {Rate(ticking, "PREEMPTION_TIMER")}/s");
    }

    [Fact]
    public void The_tick_keeps_running_while_tasks_queue()
    {
        // Eight requests per vCPU: a second task is almost always runnable, so nohz_full cannot stop the tick.
        var ticking = Report(Busy(nohzFull: false, clients: 8));
        var full = Report(Busy(nohzFull: true, clients: 8));
        Assert.True(Rate(full, "PREEMPTION_TIMER") > 0.8 * Rate(ticking, "PREEMPTION_TIMER"),
            $"{Rate(full, "PREEMPTION_TIMER")}/s with nohz_full vs {Rate(ticking, "PREEMPTION_TIMER")}/s");
    }

    [Fact]
    public void A_polling_dpdk_guest_on_nohz_full_cores_has_no_tick_at_all()
    {
        var r = Report(Busy(nohzFull: true, clients: 1, "guest-pmd"));
        Assert.True(Rate(r, "PREEMPTION_TIMER") < 20, $"{Rate(r, "PREEMPTION_TIMER")}/s");
    }

    [Theory]
    [InlineData("timer_hz: 250", "timer_hz: 0, nohz_full: true", "vm.nohz_full stops a ticking guest's tick, but vm.timer_hz is 0")]
    public void Nohz_full_without_a_tick_is_refused(string from, string to, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(WorkloadYaml.Make().Replace(from, to), "t.yaml"));
        Assert.Contains(message, e.Message);
    }
}
