using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Simulation;

/// <summary>
/// PV spinlocks (pv-spinlock) on the lock model of vm.kernel_spin: a waiter spins SPIN_THRESHOLD loops, then halts in kvm_wait
/// (an HLT exit through the idle path, although the guest has work); the unlocker that passes the lock to a halted waiter
/// kicks it with one VMCALL (KVM_HC_KICK_CPU), and never one that still spins.
/// </summary>
public class PvSpinlockTests
{
    /// <summary>Eight busy vCPUs (64 clients: they never idle) taking the VM's lock; <paramref name="cores"/> decides the overcommit.</summary>
    private static string Locking(int cores, string hold, string rate, int vcpus = 8, string loop = "", string features = "[ept, apicv, steal-time]") => $$"""
        name: pvlock
        host: { vendor: intel, ghz: 2.0, cores: {{cores}}, defaults: none, features: {{features}} }
        costs: { save: const(300cyc), handle: const(2000cyc), reenter: const(300cyc) }
        vm: { vcpus: {{vcpus}}, kernel_spin: { rate: {{rate}}, hold: "{{hold}}"{{loop}} } }
        workload:
          kind: closed
          clients: 64
          think: exp(50us)
          op: { compute: "exp(200us)" }
        interrupts: { handler: "const(2us)", wake: "lognormal(mean=6us, cv=0.5)" }
        exits:
          MSR_WRITE: { rate: 1k/s }
          PAUSE_INSTRUCTION: {}
          HLT: { handle: "lognormal(mean=3000cyc, cv=0.5)" }
          VMCALL: {}
          EXTERNAL_INTERRUPT: {}
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

    private static double Halted(RunResult run) => run.Replications.Sum(r => r.Time.Idle + r.Time.Poll);

    [Fact]
    public void Long_waits_halt_after_the_spin_threshold_and_each_kick_is_one_vmcall()
    {
        // 500 us holds keep a queue of waiters for longer than SPIN_THRESHOLD × 140 cycles (2.3 ms at 2 GHz). No overcommit.
        string yaml = Locking(16, "exp(500us)", "200/s");
        var pv = RunWith(yaml, "pv-spinlock");
        var s = Stats(pv);
        Assert.True(s.PvHalts > 20, $"{s.PvHalts} halts in kvm_wait");
        // Every halt is an HLT exit (those that end in the window), although the busy guest never idles.
        Assert.InRange(Exits(pv, "HLT"), s.PvHalts - 4, s.PvHalts + 4);
        Assert.True(Halted(pv) > 0);
        // One VMCALL per kick, and a kick only for a halted waiter.
        Assert.True(s.Kicks > 10, $"{s.Kicks} kicks");
        Assert.InRange(Exits(pv, "VMCALL"), s.Kicks - 2, s.Kicks + 2);
        Assert.True(s.Kicks <= s.PvHalts, $"{s.Kicks} kicks, {s.PvHalts} halts");
        Assert.True(s.Kicks < s.Contended / 2, $"{s.Kicks} kicks for {s.Contended} hand-overs");
        // Native qspinlock: the waiters spin on, nothing halts, nothing kicks.
        var native = RunWith(yaml);
        Assert.Equal(0, Stats(native).PvHalts);
        Assert.Equal(0, Exits(native, "HLT"));
        Assert.Equal(0, Exits(native, "VMCALL"));
        Assert.Equal(0, Halted(native));
    }

    [Fact]
    public void Under_overcommit_waiters_halt_and_pause_exits_fall()
    {
        // Eight busy vCPUs on six cores, with a pre-Skylake PAUSE (about 10 cycles: SPIN_THRESHOLD is 164 us at 2 GHz):
        // a waiter of a long wait halts and frees its core instead of PAUSE-looping through PLE exits and directed yields.
        string yaml = Locking(6, "exp(50us)", "2k/s", loop: ", loop: 10cyc");
        var pv = RunWith(yaml, "pv-spinlock");
        var native = RunWith(yaml);
        var s = Stats(pv);
        Assert.True(s.PvHalts > 100, $"{s.PvHalts} halts");
        Assert.True(Exits(pv, "HLT") > 100);
        Assert.InRange(Exits(pv, "VMCALL"), s.Kicks - 2, s.Kicks + 2);
        long pause = Exits(pv, "PAUSE_INSTRUCTION"), before = Exits(native, "PAUSE_INSTRUCTION");
        Assert.True(pause < 0.9 * before, $"PAUSE exits {pause} with pv-spinlock, {before} without");
        Assert.True(Stats(native).PleYields > s.PleYields, $"directed yields {Stats(native).PleYields} without, {s.PleYields} with");
    }

    [Fact]
    public void Short_waits_never_reach_the_threshold_so_nothing_halts_or_kicks()
    {
        // 2 us holds: contended often, but every wait ends long before SPIN_THRESHOLD; the lock passes to spinning waiters, unkicked.
        string yaml = Locking(16, "const(2us)", "20k/s");
        var pv = RunWith(yaml, "pv-spinlock");
        var s = Stats(pv);
        Assert.True(s.Contended > 1000, $"{s.Contended} contended");
        Assert.Equal(0, s.PvHalts);
        Assert.Equal(0, s.Kicks);
        Assert.Equal(0, Exits(pv, "VMCALL"));
        var native = RunWith(yaml);
        Assert.Equal(Stats(native).Contended, s.Contended);
        Assert.Equal(Exits(native, "PAUSE_INSTRUCTION"), Exits(pv, "PAUSE_INSTRUCTION"));
    }

    [Fact]
    public void Without_contention_nothing_changes()
    {
        // One vCPU: the lock is always free (and kvm_spinlock_init would leave PV spinlocks off).
        string yaml = Locking(4, "exp(50us)", "2k/s", vcpus: 1);
        var pv = RunWith(yaml, "pv-spinlock");
        var native = RunWith(yaml);
        Assert.Equal(0, Stats(pv).Contended);
        for (int i = 0; i < native.Model.Reasons.Length; i++)
            Assert.Equal(native.Replications.Sum(r => r.Reasons[i].Count), Exits(pv, native.Model.Reasons[i].Name));
    }

    [Fact]
    public void It_is_refused_with_disable_exits_and_needs_the_lock_model_and_a_workload()
    {
        // Dedicated cores: KVM_HINTS_REALTIME, with which kvm_spinlock_init keeps native qspinlocks; and HLT would not exit.
        var over = Assert.Throws<OptimisationException>(() => RunWith(Locking(16, "exp(50us)", "2k/s", features: "[ept, apicv, steal-time, disable-exits]"), "pv-spinlock"));
        Assert.Contains("KVM_HINTS_REALTIME", over.Message);
        var yaml = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Locking(16, "exp(50us)", "2k/s", features: "[ept, apicv, disable-exits, pv-spinlock]"), "d.yaml"));
        Assert.StartsWith("d.yaml:2:", yaml.Located);
        string noWorkload = """
            name: cpu-bound
            host: { vendor: intel, ghz: 2.0, cores: 4, defaults: none, features: [ept] }
            costs: { save: const(300cyc), handle: const(2000cyc), reenter: const(300cyc) }
            vm: { vcpus: 8, kernel_spin: { rate: 2k/s, hold: exp(2us) } }
            exits:
              PAUSE_INSTRUCTION: {}
            run: { duration: 10ms }
            """;
        Assert.Contains("workload", Assert.Throws<OptimisationException>(() => RunWith(noWorkload, "pv-spinlock")).Message);
        Assert.Contains("hold", Assert.Throws<OptimisationException>(() => RunWith(Locking(16, "exp(50us)", "2k/s").Replace("hold:", "wait:"), "pv-spinlock")).Message);
        var loop = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Locking(16, "exp(50us)", "2k/s").Replace("hold:", "wait:").Replace("2k/s,", "2k/s, loop: 10cyc,"), "l.yaml"));
        Assert.Contains("needs 'hold'", loop.Message);
    }

    [Fact]
    public void The_writer_writes_the_loop_back()
    {
        var s = ScenarioLoader.Parse(Locking(16, "exp(50us)", "2k/s", loop: ", loop: 10cyc"), "s.yaml");
        var again = ScenarioLoader.Parse(ScenarioWriter.Write(s), "again.yaml");
        Assert.Equal(s.Vm.KernelSpin!.Loop, again.Vm.KernelSpin!.Loop);
        Assert.Equal(10, again.Vm.KernelSpin.Loop!.Value.Value);
    }
}
