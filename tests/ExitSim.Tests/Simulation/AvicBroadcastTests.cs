using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Simulation;

/// <summary>
/// TLB-shootdown IPIs under AVIC (Simulation/Vcpus/AvicBroadcast): a flush to every other vCPU is one shorthand ICR write;
/// AVIC delivers it to the running targets and the sender exits once (avic_incomplete_ipi) only if a target is not running,
/// and KVM's slow path then kicks every other vCPU, so that exit's handling grows with the VM's vCPU count. A unicast to a
/// running target makes no exit; one to a target not running exits without the loop.
/// </summary>
public class AvicBroadcastTests
{
    private const double Ghz = 2.0;

    /// <summary>CPU-bound vCPUs (they never halt, so no target is lazy) doing shootdowns on an AMD host with x2AVIC.</summary>
    private static string Shootdowns(int vcpus, int cores, string features = "[npt, avic, x2avic, steal-time]", string ipiSend = "250cyc") => $$"""
        name: avic-shootdowns
        host: { vendor: amd, ghz: {{Ghz}}, cores: {{cores}}, defaults: none, features: {{features}}, ipi_send: {{ipiSend}} }
        costs: { save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) }
        vm: { count: 1, vcpus: {{vcpus}}, tlb_shootdowns: { rate: 1k/s, ack: 2us } }
        exits:
          cpuid: { rate: 10/s }
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

    /// <summary>Mean handle phase of the reason's exits, in cycles.</summary>
    private static double HandleCyc(RunResult run, string reason)
    {
        int i = run.Model.ReasonIndex(reason);
        return run.Replications.Sum(r => r.Reasons[i].Handle) / Exits(run, reason) * Ghz;
    }

    [Fact]
    public void A_flush_to_every_other_running_vcpu_is_one_broadcast_without_an_exit()
    {
        var run = RunWith(Shootdowns(8, 16));
        var s = Stats(run);
        Assert.True(s.Shootdowns > 500, $"{s.Shootdowns} shootdowns");
        Assert.Equal(s.Shootdowns, s.Broadcasts);
        Assert.Equal(7 * s.Shootdowns, s.Ipis);
        Assert.Equal(0, Exits(run, "avic_incomplete_ipi"));
        Assert.Equal(s.Shootdowns, s.Broadcasts);
        Assert.Equal(0, s.BroadcastExits);
    }

    [Fact]
    public void A_broadcast_with_a_target_not_running_exits_once_and_its_kick_loop_grows_with_the_vcpu_count()
    {
        // Twice as many vCPUs as cores: every flush has preempted targets (about half of them), yet one exit per broadcast.
        var small = RunWith(Shootdowns(4, 2));
        var large = RunWith(Shootdowns(16, 8));
        foreach (var run in new[] { small, large })
        {
            var s = Stats(run);
            Assert.True(s.Shootdowns > 200, $"{s.Shootdowns} shootdowns");
            Assert.True(s.AckedAfterPreemption >= s.Shootdowns, $"{s.AckedAfterPreemption} late acks of {s.Shootdowns}");
            // Not one exit per target not running (about half of the targets), but one per flush.
            long exits = Exits(run, "avic_incomplete_ipi");
            Assert.InRange(exits, (long)(0.95 * s.Shootdowns), s.Shootdowns);
            Assert.Equal(s.Shootdowns, s.Broadcasts);
            Assert.InRange(s.BroadcastExits, (long)(0.95 * s.Shootdowns), s.Shootdowns);
            Assert.Equal(s.BroadcastExits, Exits(run, "avic_incomplete_ipi"));
        }
        // The slow path kicks every other vCPU (host.ipi_send = 250 cyc each) on top of the 500-cycle handler.
        Assert.Equal(500 + 3 * 250, HandleCyc(small, "avic_incomplete_ipi"), 1);
        Assert.Equal(500 + 15 * 250, HandleCyc(large, "avic_incomplete_ipi"), 1);
    }

    [Fact]
    public void A_unicast_to_a_running_target_makes_no_exit_and_one_to_a_preempted_target_exits_without_the_loop()
    {
        // Two vCPUs: each flush has one target, a single-target IPI (no shorthand).
        var running = RunWith(Shootdowns(2, 4));
        Assert.True(Stats(running).Shootdowns > 100);
        Assert.Equal(0, Stats(running).Broadcasts);
        Assert.Equal(0, Exits(running, "avic_incomplete_ipi"));
        // Both on one core: the target is always preempted.
        var preempted = RunWith(Shootdowns(2, 1));
        var p = Stats(preempted);
        Assert.Equal(0, p.Broadcasts);
        Assert.Equal(p.Ipis, Exits(preempted, "avic_incomplete_ipi"));
        Assert.Equal(500, HandleCyc(preempted, "avic_incomplete_ipi"), 1);
    }

    [Fact]
    public void Pv_ipi_does_not_replace_the_shorthand_broadcast()
    {
        // kvm_setup_pv_ipi replaces send_IPI_mask, not send_IPI_allbutself: a flush to every other vCPU stays an ICR write.
        var run = RunWith(Shootdowns(8, 4), "pv-ipi");
        var s = Stats(run);
        Assert.Equal(0, Exits(run, "hypercall"));
        Assert.Equal(s.Shootdowns, s.Broadcasts);
        Assert.Equal(s.BroadcastExits, Exits(run, "avic_incomplete_ipi"));
        Assert.True(s.BroadcastExits > 0);
    }

    [Fact]
    public void Without_avic_or_on_hybrid_avic_there_is_no_broadcast_site()
    {
        // No AVIC: each target's ICR write is an msr exit (the shorthand is not modelled there: see docs/model.md).
        var plain = Stats(RunWith(Shootdowns(8, 16, "[npt, steal-time]")));
        Assert.Equal(0, plain.Broadcasts);
        // x2APIC guest without x2avic: KVM emulates the ICR MSR, the hardware never sends.
        var hybrid = RunWith(Shootdowns(8, 16, "[npt, avic, steal-time]"));
        Assert.Equal(0, Stats(hybrid).Broadcasts);
        Assert.Equal(0, Exits(hybrid, "avic_incomplete_ipi"));
    }

    [Theory]
    [InlineData(7, 8, true)]
    [InlineData(6, 8, false)]   // one vCPU lazy (idle) or skipped (PV TLB flush): the mask is not every online CPU
    [InlineData(1, 2, false)]   // a single target: send_call_function_single_ipi
    public void The_guest_uses_the_shorthand_only_for_every_other_cpu(int targets, int vcpus, bool shorthand) =>
        Assert.Equal(shorthand, ExitSim.Simulation.Vcpus.AvicBroadcast.Shorthand(targets, vcpus));
}
