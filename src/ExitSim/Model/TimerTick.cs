namespace ExitSim.Model;

/// <summary>
/// What one guest timer tick costs in exits. Intel: the LAPIC TSC-deadline timer runs on the VMX
/// preemption timer (PREEMPTION_TIMER), and the guest's handler re-arms it with a TSC_DEADLINE
/// MSR_WRITE (docs/kvm-facts.md §2.1, §2.4 "TSC-deadline via VMX preemption timer"). AMD has no preemption
/// timer: the host hrtimer interrupt exits as 'interrupt', and the re-arm is an 'msr' exit.
/// </summary>
public static class TimerTick
{
    public static IReadOnlyList<string> Reasons(Vendor vendor) =>
        vendor == Vendor.Intel ? ["PREEMPTION_TIMER", "MSR_WRITE"] : ["interrupt", "msr"];

    /// <summary>
    /// Whether a tick due while the vCPU is out of the guest still exits. Intel: yes, right after the next entry —
    /// vmx_update_hv_timer arms the preemption timer with 0 for a deadline already past, and
    /// handle_fastpath_preemption_timer injects the tick (kvm_lapic_expired_hv_timer) and re-enters
    /// (arch/x86/kvm/vmx/vmx.c). AMD: the host hrtimer fired in root mode, so the tick is injected at entry without
    /// an exit of its own.
    /// </summary>
    public static bool ExitsAtEntry(Vendor vendor) => vendor == Vendor.Intel;
}
