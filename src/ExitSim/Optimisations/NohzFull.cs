using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>A guest kernel booted with nohz_full on its vCPUs (vm.nohz_full): the tick stops while a vCPU runs a single task.</summary>
public sealed class NohzFull : Optimisation
{
    public override string Name => "nohz-full";
    public override string Description => "guest kernel booted nohz_full (CONFIG_NO_HZ_FULL): no periodic tick on a vCPU that runs a single task (vm.nohz_full: true)";
    public override string Mechanism =>
        "the tick that finds a vCPU running one task with nothing else runnable stops the tick (its handler programs the next event instead), so the " +
        "next ticks' PREEMPTION_TIMER exits and TSC_DEADLINE re-arms do not happen; when a second task becomes runnable the tick restarts with one more " +
        "TSC_DEADLINE write. Helps busy vCPUs running one thread each (a DPDK lcore, an HPC rank); queued tasks keep the tick. Needs vm.timer_hz and a workload";
    public override string Summary => "A vCPU running a single task stops its tick: no PREEMPTION_TIMER exits or re-arms while it runs alone.";
    public override string Source => "kernel/time/tick-sched.c tick_nohz_full_update_tick, can_stop_full_tick, tick_nohz_restart_sched_tick; Documentation/timers/no_hz.rst";

    public override Scenario Apply(Scenario s) => s with { Vm = s.Vm with { NohzFull = true } };
}
