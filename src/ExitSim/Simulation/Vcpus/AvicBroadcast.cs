using ExitSim.Scenarios;

namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// A flush IPI to every other vCPU under AVIC. The guest sends it as one ICR write with the "all excluding self" shorthand
/// when its target mask is every online CPU but itself (arch/x86/kernel/apic/ipi.c native_send_call_func_ipi, with
/// apic_use_ipi_shorthand on once every CPU has booted, apic_smt_update; smp_call_function_many_cond sends a single-target
/// IPI instead when there is one target). PV IPI does not change that: kvm_setup_pv_ipi replaces send_IPI_mask and
/// send_IPI_mask_allbutself, not send_IPI_allbutself. AVIC delivers to the running targets and, if any target is not running,
/// the sender exits with avic_incomplete_ipi (AVIC_IPI_FAILURE_TARGET_NOT_RUNNING: "the AVIC HW has already set the
/// appropriate IRR bits on the valid target vcpus"). KVM's avic_kick_target_vcpus then tries avic_kick_target_vcpus_fast,
/// which refuses a shorthand (and a physical broadcast destination), and falls back to the slow path: kvm_for_each_vcpu,
/// kvm_apic_match_dest, avic_kick_vcpu for each match (arch/x86/kvm/svm/avic.c) — svm_complete_interrupt_delivery rings the
/// doorbell of a target in guest mode or wakes one that is not. So one exit, whose handling grows with the VM's vCPU count:
/// each of the other vCPUs costs a delivery, <c>host.ipi_send</c> (the same work KVM does for one target of a unicast).
/// Unicast ICR writes (a subset of the vCPUs) keep the fast path: one exit per target not running, each finding its target
/// directly. With every target running there is no exit at all.
/// </summary>
internal static class AvicBroadcast
{
    /// <summary>The guest sends its flush to <paramref name="targets"/> of a VM of <paramref name="vcpus"/> as a shorthand broadcast.</summary>
    public static bool Shorthand(int targets, int vcpus) => targets >= 2 && targets == vcpus - 1;

    /// <summary>KVM's slow-path kick loop in one avic_incomplete_ipi exit: a delivery to each vCPU but the sender, ns.</summary>
    public static double KickLoopNs(Scenario s) => (s.Vm.Vcpus - 1) * s.Host.IpiSend.Resolve(s.Host.Ghz);

    /// <summary>The broadcast's site: a copy of the avic_incomplete_ipi site whose handle also carries the kick loop.</summary>
    public static int Site(Scenario s, List<ExitSite> sites, int site)
    {
        double loop = KickLoopNs(s);
        if (site < 0 || loop == 0) return site;
        var r = sites[site];
        sites.Add(new ExitSite
        {
            Reason = r.Reason, Path = r.Path, StreamKey = 0x9000 + r.StreamKey,
            Save = r.Save, Handle = r.Handle, Emulate = r.Emulate, Reenter = r.Reenter,
            HandleExtraNs = r.HandleExtraNs + loop, Coalesced = r.Coalesced,
        });
        return sites.Count - 1;
    }
}
