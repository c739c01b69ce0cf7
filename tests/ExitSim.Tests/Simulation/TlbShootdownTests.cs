using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Simulation.Host;

namespace ExitSim.Tests.Simulation;

/// <summary>
/// Guest TLB shootdowns (vm.tlb_shootdowns) and the PV features that change them: without PV TLB flush an initiator
/// busy-waits for a target the host descheduled; with it, the target is skipped and flushed at its next entry; PV IPI
/// sends the multicast as one VMCALL; PV sched yield gives the sender's core to a preempted target.
/// </summary>
public class TlbShootdownTests
{
    /// <summary>CPU-bound vCPUs (no workload: they never halt) doing shootdowns; <paramref name="cores"/> decides the overcommit.</summary>
    private static string Shootdowns(int vms, int vcpus, int cores, string features = "[ept, apicv, steal-time]", string rate = "1k/s") => $$"""
        name: shootdowns
        host: { vendor: intel, ghz: 2.0, cores: {{cores}}, defaults: none, features: {{features}} }
        costs: { save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) }
        vm: { count: {{vms}}, vcpus: {{vcpus}}, tlb_shootdowns: { rate: {{rate}}, ack: 2us } }
        exits:
          CPUID: { rate: 10/s }
        run: { duration: 300ms, warmup: 30ms, replications: 2, seed: 5 }
        """;

    private static RunResult RunWith(string yaml, params string[] with) =>
        ExperimentRunner.Run(OptimisationCatalog.Apply(ScenarioLoader.Parse(yaml, "test.yaml"), with));

    private static TlbShootdownStats Stats(RunResult run)
    {
        var all = new TlbShootdownStats();
        foreach (var r in run.Replications) all.Add(r.TlbShootdowns!);
        return all;
    }

    private static long Exits(RunResult run, string reason)
    {
        int i = run.Model.ReasonIndex(reason);
        return i < 0 ? 0 : run.Replications.Sum(r => r.Reasons[i].Count);
    }

    private static void Conserved(RunResult run)
    {
        foreach (var r in run.Replications)
            foreach (var v in r.VcpuTime)
                Assert.Equal(r.WindowNs, v.Total, r.WindowNs * 1e-9);
    }

    [Fact]
    public void Without_pv_tlb_flush_an_initiator_waits_for_a_preempted_target_until_the_host_runs_it()
    {
        // Four always-runnable vCPUs on two cores: in each 3 ms quantum two run and two wait, so every shootdown has
        // a preempted target, which acks only at the quantum's end: the initiator spins for the rest of its quantum.
        var run = RunWith(Shootdowns(1, 4, 2));
        var s = Stats(run);
        Assert.True(s.Shootdowns > 200, $"{s.Shootdowns} shootdowns");
        Assert.True(s.AckedAfterPreemption >= s.Shootdowns, $"{s.AckedAfterPreemption} of {s.Shootdowns}");
        // At 1k/s a running vCPU's first shootdown comes ~1 ms into its 3 ms quantum: it spins for most of the rest.
        double spinPerShootdown = s.SpinNs / s.Shootdowns;
        Assert.True(spinPerShootdown > 300_000, $"spin per shootdown {spinPerShootdown:0} ns");
        Assert.Equal(0, s.Skipped);
        Conserved(run);
    }

    [Fact]
    public void With_pv_tlb_flush_a_preempted_target_is_skipped_and_flushed_at_its_next_entry()
    {
        var vanilla = Stats(RunWith(Shootdowns(1, 4, 2)));
        var run = RunWith(Shootdowns(1, 4, 2), "pv-tlb-flush");
        var s = Stats(run);
        Assert.True(s.Skipped >= s.Shootdowns, $"{s.Skipped} skipped of {s.Shootdowns}");   // two preempted targets each time
        Assert.Equal(0, s.AckedAfterPreemption);
        // It waits only for the running target's ack (2 us), never for a preempted one.
        Assert.True(s.SpinNs / s.Shootdowns < 3_000, $"spin per shootdown {s.SpinNs / s.Shootdowns:0} ns");
        Assert.True(s.SpinNs < vanilla.SpinNs / 100);
        // Each skipped vCPU's flush is done when it next runs: once per sched-in, however many shootdowns skipped it.
        Assert.InRange(s.FlushedAtEntry, 1, s.Skipped);
        Assert.True(s.FlushedAtEntry > 50, $"{s.FlushedAtEntry} flushes at entry");
        // Fewer ICR writes: only the running target is IPI'd.
        Assert.Equal(s.Ipis, Exits(run, "MSR_WRITE"));
        Conserved(run);
    }

    [Fact]
    public void Without_overcommit_pv_tlb_flush_changes_nothing()
    {
        var vanilla = RunWith(Shootdowns(1, 4, 8));
        var pv = RunWith(Shootdowns(1, 4, 8), "pv-tlb-flush", "pv-sched-yield");
        var (a, b) = (Stats(vanilla), Stats(pv));
        Assert.Equal(0, b.Skipped);
        Assert.Equal(0, b.Yields);
        Assert.Equal(0, a.AckedAfterPreemption);
        Assert.Equal(a.Shootdowns, b.Shootdowns);
        Assert.Equal(a.SpinNs, b.SpinNs);
        Assert.Equal(vanilla.Replications.Select(r => r.Time.Guest), pv.Replications.Select(r => r.Time.Guest));
    }

    [Fact]
    public void Pv_ipi_sends_the_multicast_as_one_vmcall_instead_of_one_icr_write_per_target()
    {
        var icr = RunWith(Shootdowns(1, 8, 16));
        var s = Stats(icr);
        Assert.Equal(7 * s.Shootdowns, s.Ipis);
        Assert.Equal(s.Ipis, Exits(icr, "MSR_WRITE"));
        Assert.Equal(0, Exits(icr, "VMCALL"));
        var pv = RunWith(Shootdowns(1, 8, 16), "pv-ipi");
        var p = Stats(pv);
        Assert.Equal(p.Shootdowns, Exits(pv, "VMCALL"));
        Assert.Equal(0, Exits(pv, "MSR_WRITE"));
        // IPIv posts each ICR write: no sender exit at all, the wait is the same.
        var ipiv = RunWith(Shootdowns(1, 8, 16, "[ept, apicv, ipiv, steal-time]"));
        Assert.Equal(0, Exits(ipiv, "MSR_WRITE"));
        Assert.True(Stats(ipiv).Shootdowns > 0);
    }

    [Fact]
    public void Pv_sched_yield_gives_the_senders_core_to_the_preempted_target()
    {
        // Three vCPUs on two cores: one is preempted at a time, so the sender's one yield (to the first preempted target)
        // runs the only target it would wait for.
        var vanilla = RunWith(Shootdowns(1, 3, 2));
        var run = RunWith(Shootdowns(1, 3, 2), "pv-sched-yield");
        var (a, s) = (Stats(vanilla), Stats(run));
        Assert.True(s.Yields > 0.5 * s.Shootdowns, $"{s.Yields} yields of {s.Shootdowns} shootdowns");
        // Each KVM_HC_SCHED_YIELD is a VMCALL exit; one that comes as the quantum ends finds nothing to yield to.
        long calls = Exits(run, "VMCALL");
        Assert.InRange(s.Yields, (long)(0.95 * calls), calls);
        // The sender does not burn its core spinning: the target runs on it instead and acks.
        Assert.True(s.SpinNs < a.SpinNs / 10, $"spin {s.SpinNs:0} vs {a.SpinNs:0} ns");
        // The cores stay busy (the yield hands the core over, it does not leave it idle), and time is conserved.
        foreach (var r in run.Replications) Assert.Equal(1.0, (r.Host.Guest + r.Host.ExitHandling) / r.Host.Capacity, 0.01);
        Conserved(run);
    }

    [Fact]
    public void Two_vms_on_shared_cores_are_not_gang_scheduled()
    {
        // Two VMs of two vCPUs on two cores: with whole VMs run in turn no target would ever be preempted.
        var s = Stats(RunWith(Shootdowns(2, 2, 2)));
        Assert.True(s.AckedAfterPreemption >= s.Shootdowns, $"{s.AckedAfterPreemption} of {s.Shootdowns}");
        Assert.Equal([0, 3, 1, 4, 2, 5, 6, 7], RunOrder.Interleaved(6, 3, 2));
    }

    [Fact]
    public void Pv_tlb_flush_and_sched_yield_need_steal_time()
    {
        var s = ScenarioLoader.Parse(Shootdowns(1, 4, 2, "[ept, apicv]"), "test.yaml");
        var e = Assert.Throws<OptimisationException>(() => OptimisationCatalog.Apply(s, ["pv-tlb-flush"]));
        Assert.Contains("steal-time", e.Message);
        var bad = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Shootdowns(1, 4, 2, "[ept, apicv, pv-sched-yield]"), "test.yaml"));
        Assert.Contains("steal-time", bad.Message);
        // On by default (QEMU's kvm_default_props): compare --with refuses it as already on.
        var defaults = ScenarioLoader.Parse(Shootdowns(1, 4, 2).Replace(", defaults: none, features: [ept, apicv, steal-time]", ""), "test.yaml");
        Assert.NotNull(OptimisationCatalog.AlreadyOn(defaults, "steal-time"));
        Assert.Null(OptimisationCatalog.AlreadyOn(defaults, "pv-tlb-flush"));
    }

    [Fact]
    public void The_scenario_key_round_trips_through_the_writer()
    {
        var s = ScenarioLoader.Parse(Shootdowns(1, 4, 2, rate: "730/s"), "test.yaml");
        var again = ScenarioLoader.Parse(ScenarioWriter.Write(s), "again.yaml");
        Assert.Equal(s.Vm.TlbShootdowns, again.Vm.TlbShootdowns);
    }
}
