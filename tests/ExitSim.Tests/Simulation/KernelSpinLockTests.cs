using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Simulation;

/// <summary>
/// The lock model of vm.kernel_spin (hold): one kernel spinlock per VM. A waiter spins until the holder releases it; a
/// holder the host descheduled keeps it for the whole preemption, so its waiters spin (PAUSE exits) until it runs again,
/// unless kvm_vcpu_on_spin's directed yield gives one of their cores to it.
/// </summary>
public class KernelSpinLockTests
{
    /// <summary>CPU-bound vCPUs (no workload: they never halt) taking the VM's lock; <paramref name="cores"/> decides the overcommit.</summary>
    private static string Locking(int vcpus, int cores, string features = "[ept, apicv]", string hold = "const(2us)", string rate = "20k/s", string spin = "") => $$"""
        name: lock
        host: { vendor: intel, ghz: 2.0, cores: {{cores}}, defaults: none, features: {{features}} }
        costs: { save: const(300cyc), handle: const(2000cyc), reenter: const(300cyc) }
        vm: { vcpus: {{vcpus}}{{(spin == "" ? $", kernel_spin: {{ rate: {rate}, hold: \"{hold}\" }}" : spin)}} }
        exits:
          MSR_WRITE: { rate: 1k/s }
          PAUSE_INSTRUCTION: {}
        run: { duration: 200ms, warmup: 20ms, replications: 2, seed: 7 }
        """;

    private static RunResult RunWith(string yaml, params string[] with) =>
        ExperimentRunner.Run(OptimisationCatalog.Apply(ScenarioLoader.Parse(yaml, "test.yaml"), with));

    private static KernelLockStats Stats(RunResult run)
    {
        var all = new KernelLockStats();
        foreach (var r in run.Replications) all.Add(r.KernelLock!);
        return all;
    }

    private static long Exits(RunResult run, string reason)
    {
        int i = run.Model.ReasonIndex(reason);
        return i < 0 ? 0 : run.Replications.Sum(r => r.Reasons[i].Count);
    }

    private static double MeanWaitNs(KernelLockStats s) => s.WaitNs / s.Contended;

    [Fact]
    public void A_lock_nobody_else_wants_costs_nothing()
    {
        // One vCPU: every acquisition finds the lock free. The spin stream draws from streams of its own, so the other
        // exits are exactly those of the scenario without kernel spinning.
        var alone = RunWith(Locking(1, 8));
        var s = Stats(alone);
        Assert.True(s.Acquisitions > 7000, $"{s.Acquisitions} acquisitions");
        Assert.Equal(0, s.Contended);
        Assert.Equal(0, Exits(alone, "PAUSE_INSTRUCTION"));
        var none = RunWith(Locking(1, 8, spin: " "));
        Assert.Equal(Exits(none, "MSR_WRITE"), Exits(alone, "MSR_WRITE"));
    }

    [Fact]
    public void Waiters_spin_for_the_holder_and_contention_grows_with_the_hold()
    {
        // Four vCPUs on eight cores: nobody is preempted. The lock is busy 4 × 20k/s × 2 us = 16 % of the time.
        var s = Stats(RunWith(Locking(4, 8)));
        Assert.InRange((double)s.Contended / s.Acquisitions, 0.05, 0.2);
        Assert.InRange(MeanWaitNs(s), 500, 2500);   // the rest of a 2 us hold, now and then behind another waiter
        Assert.Equal(0, s.HolderPreempted);
        var longer = Stats(RunWith(Locking(4, 8, hold: "const(5us)", rate: "10k/s")));
        Assert.True(MeanWaitNs(longer) > 1.5 * MeanWaitNs(s), $"mean wait {MeanWaitNs(longer):0} ns with 5 us holds, {MeanWaitNs(s):0} ns with 2 us");
    }

    [Fact]
    public void A_preempted_holder_makes_its_waiters_spin_and_pause_loop_exiting_yields_to_it()
    {
        // Eight vCPUs on four cores: every 3 ms quantum half of them are descheduled, now and then one holding the lock.
        var undercommitted = Stats(RunWith(Locking(8, 16)));
        var ple = RunWith(Locking(8, 4));
        var s = Stats(ple);
        // Its waiters spin until their PLE window runs out, exit, find the holder preempted and give it their core
        // (kvm_vcpu_on_spin); it runs and releases the lock.
        Assert.True(s.HolderPreempted > 20, $"{s.HolderPreempted} PAUSE exits found the holder preempted");
        Assert.True(s.PleYields > 20, $"{s.PleYields} directed yields");
        Assert.Equal(s.PauseExits * 1.0, Exits(ple, "PAUSE_INSTRUCTION"), 0.01 * s.PauseExits);
        Assert.Equal(0, undercommitted.HolderPreempted);
        Assert.True(MeanWaitNs(s) > 2 * MeanWaitNs(undercommitted),
            $"mean wait {MeanWaitNs(s):0} ns overcommitted, {MeanWaitNs(undercommitted):0} ns undercommitted");
        // Without the directed yield a waiter of a preempted holder would spin for the rest of the holder's 3 ms wait for
        // a core; with it, a few PLE windows.
        Assert.True(MeanWaitNs(s) < 20_000, $"mean wait {MeanWaitNs(s):0} ns");
    }

    [Fact]
    public void Without_pause_exits_a_preempted_holder_keeps_its_waiters_spinning_for_the_preemption()
    {
        // PAUSE not intercepted (disable-exits, allowed only on dedicated cores) and no overcommit: nothing preempts a
        // holder, and the waits are those of the lock alone, without any exit.
        var s = Stats(RunWith(Locking(8, 16, features: "[ept, apicv, disable-exits]")));
        Assert.True(s.Contended > 1000);
        Assert.Equal(0, s.PauseExits);
        Assert.InRange(MeanWaitNs(s), 500, 5000);
    }

    [Fact]
    public void Without_host_contention_ple_changes_nothing_but_exits()
    {
        // Nobody is preempted: the same acquisitions, and PLE only cuts the few spins longer than its window.
        var s = Stats(RunWith(Locking(4, 8)));
        Assert.Equal(0, s.PleYields);
    }

    [Fact]
    public void Hold_and_wait_are_exclusive_and_the_writer_writes_hold_back()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Locking(2, 4, spin: ", kernel_spin: { rate: 1k/s, hold: 2us, wait: 1us }"), "l.yaml"));
        Assert.StartsWith("l.yaml:4:", ex.Located);
        Assert.Contains("'wait' or 'hold', not both", ex.Message);
        var s = ScenarioLoader.Parse(Locking(2, 4, hold: "exp(3us)"), "s.yaml");
        var again = ScenarioLoader.Parse(ScenarioWriter.Write(s), "again.yaml");
        Assert.Null(again.Vm.KernelSpin!.Wait);
        Assert.Equal(s.Vm.KernelSpin!.Hold!.Format(), again.Vm.KernelSpin.Hold!.Format());
    }
}
