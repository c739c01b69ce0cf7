using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Simulation;

public class PvSpinlockScratch
{
    private static string Y(int vcpus, int cores, string hold, string rate) => $$"""
        name: pvlock
        host: { vendor: intel, ghz: 2.0, cores: {{cores}}, defaults: none, features: [ept, apicv, steal-time] }
        costs: { save: const(300cyc), handle: const(2000cyc), reenter: const(300cyc) }
        vm: { vcpus: {{vcpus}}, kernel_spin: { rate: {{rate}}, hold: "{{hold}}" } }
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

    private static string Line(string yaml, params string[] with)
    {
        var run = ExperimentRunner.Run(OptimisationCatalog.Apply(ScenarioLoader.Parse(yaml, "t.yaml"), with));
        var s = new KernelLockStats();
        foreach (var r in run.Replications) s.Add(r.KernelLock!);
        long E(string n) { int i = run.Model.ReasonIndex(n); return i < 0 ? 0 : run.Replications.Sum(r => r.Reasons[i].Count); }
        return $"[{string.Join(",", with)}] acq {s.Acquisitions} cont {s.Contended} wait {s.WaitNs / Math.Max(1, s.Contended):0} ns pause {E("PAUSE_INSTRUCTION")} hlt {E("HLT")} vmcall {E("VMCALL")} pvhalts {s.PvHalts} kicks {s.Kicks} yields {s.PleYields} holderPre {s.HolderPreempted}\n";
    }

    [Fact]
    public void Measure()
    {
        string o = "";
        foreach (var (h, r) in new[] { ("const(2us)", "20k/s"), ("exp(50us)", "2k/s"), ("exp(200us)", "500/s") })
            foreach (var c in new[] { 8, 6, 4 })
            {
                o += $"hold {h} rate {r} cores {c}: " + Line(Y(8, c, h, r));
                o += $"hold {h} rate {r} cores {c}: " + Line(Y(8, c, h, r), "pv-spinlock");
            }
        Assert.Fail(o);
    }
}
