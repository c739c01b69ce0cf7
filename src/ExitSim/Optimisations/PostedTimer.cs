using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM's posted timer interrupts (kvm module parameter pi_inject_timer), for vCPUs on nohz_full cores with HLT/MWAIT passed through.</summary>
public sealed class PostedTimer : Optimisation
{
    public override string Name => TimerTick.PostedFeature;
    public override string Description =>
        "KVM's pi_inject_timer: the guest's LAPIC timer runs as an hrtimer on a housekeeping core and its expiry is posted to the running vCPU " +
        "(needs disable-exits, apicv/avic and nohz_full vCPU cores, host.tick_hz: 0; the parameter's default -1 turns it on exactly when the host has nohz_full)";
    public override string Mechanism =>
        "with HLT/MWAIT passed through KVM cannot use the VMX preemption timer (kvm_can_use_hv_timer); without this the timer is an hrtimer on the vCPU's " +
        "own core whose interrupt exits the vCPU (EXTERNAL_INTERRUPT) and is injected at the next entry. With it the hrtimer fires on a housekeeping core " +
        "and KVM posts the interrupt to the vCPU in guest mode: no exit at expiry (a vCPU in root mode gets it at its next entry). The guest's " +
        "TSC_DEADLINE re-arm still exits, on the full path (the TSC_DEADLINE fastpath needs the hv timer)";
    public override string Summary => "Timer expiry is posted from a housekeeping core: no exit when the guest's timer fires, only its re-arm.";
    public override string Source =>
        "arch/x86/kvm/lapic.c kvm_can_post_timer_interrupt, kvm_can_use_hv_timer, kvm_use_posted_timer_interrupt, apic_timer_expired; " +
        "arch/x86/kvm/x86.c kvm_arch_init (pi_inject_timer = housekeeping_enabled(HK_TYPE_TIMER) when -1), handle_fastpath_set_tscdeadline; " +
        "Wanpeng Li, \"KVM: LAPIC: Inject timer interrupt via posted interrupt\" and \"KVM: LAPIC: Make lapic timer unpinned\" (Linux 5.3); " +
        "\"KVM: LAPIC: Enable timer posted-interrupt when mwait/hlt is advertised\" (2022)";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
