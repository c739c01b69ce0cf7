namespace ExitSim.Model;

/// <summary>
/// What one guest timer tick costs in exits, by how KVM backs the guest's LAPIC TSC-deadline timer (<see cref="Backing"/>).
/// Intel, hv timer: the VMX preemption timer (PREEMPTION_TIMER), and the guest's handler re-arms it with a TSC_DEADLINE
/// MSR_WRITE (docs/kvm-facts.md §2.1, §2.4). A host hrtimer on the vCPU's core (AMD, which has no preemption timer; Intel
/// with MWAIT passed through): the host timer interrupt exits ('interrupt' / EXTERNAL_INTERRUPT), the re-arm is an MSR
/// exit. Posted: the hrtimer fires on a housekeeping core and its expiry is posted to the running vCPU, so only the
/// re-arm exits.
/// </summary>
public static class TimerTick
{
    /// <summary>The host feature (<c>host.features</c>) for KVM's <c>pi_inject_timer</c> module parameter being on.</summary>
    public const string PostedFeature = "posted-timer";

    public enum TimerBacking { HvTimer, HostHrtimer, Posted }

    /// <summary>
    /// arch/x86/kvm/lapic.c: <c>kvm_can_use_hv_timer</c> is false when MWAIT is passed through (<c>kvm_mwait_in_guest</c>:
    /// QEMU's cpu-pm=on, feature <c>disable-exits</c>) or the timer can be posted; <c>kvm_can_post_timer_interrupt</c> =
    /// pi_inject_timer and APICv/AVIC active and HLT or MWAIT passed through.
    /// </summary>
    public static TimerBacking Backing(Vendor vendor, IReadOnlyCollection<string> features)
    {
        bool inGuestIdle = features.Contains("disable-exits");
        bool apicv = features.Contains(vendor == Vendor.Intel ? "apicv" : "avic");
        if (features.Contains(PostedFeature) && apicv && inGuestIdle) return TimerBacking.Posted;
        return vendor == Vendor.Intel && !inGuestIdle ? TimerBacking.HvTimer : TimerBacking.HostHrtimer;
    }

    /// <summary>The expiry's exit (null when posted) and the re-arm's.</summary>
    public static IReadOnlyList<string?> Reasons(Vendor vendor, IReadOnlyCollection<string> features) => Backing(vendor, features) switch
    {
        TimerBacking.HvTimer => ["PREEMPTION_TIMER", "MSR_WRITE"],
        TimerBacking.Posted => [null, Msr(vendor)],
        _ => [vendor == Vendor.Intel ? MechanismReasons.ExternalInterrupt : "interrupt", Msr(vendor)],
    };

    private static string Msr(Vendor vendor) => vendor == Vendor.Intel ? "MSR_WRITE" : "msr";

    /// <summary>
    /// Whether a tick due while the vCPU is out of the guest still exits. With the hv timer, yes, right after the next
    /// entry — vmx_update_hv_timer arms the preemption timer with 0 for a deadline already past, and
    /// handle_fastpath_preemption_timer injects the tick (kvm_lapic_expired_hv_timer) and re-enters
    /// (arch/x86/kvm/vmx/vmx.c). A host hrtimer fired in root mode: the tick is injected at entry without an exit of its own.
    /// </summary>
    public static bool ExitsAtEntry(Vendor vendor, IReadOnlyCollection<string> features) => Backing(vendor, features) == TimerBacking.HvTimer;
}
