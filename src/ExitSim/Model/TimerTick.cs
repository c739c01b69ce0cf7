namespace ExitSim.Model;

/// <summary>
/// What one guest timer tick costs in exits. Intel: the LAPIC TSC-deadline timer runs on the VMX
/// preemption timer (PREEMPTION_TIMER), and the guest's handler re-arms it with a TSC_DEADLINE
/// MSR_WRITE (docs/kvm-facts.md §2.1, §2.4 "TSC-deadline via VMX preemption timer"). AMD has no preemption
/// timer: the host hrtimer interrupt exits as 'interrupt', and the re-arm is an 'msr' exit.
/// A tick that arrives while the vCPU is already out of the guest is injected at the next entry
/// without an exit of its own; the re-arm still follows.
/// </summary>
public static class TimerTick
{
    public static IReadOnlyList<string> Reasons(Vendor vendor) =>
        vendor == Vendor.Intel ? ["PREEMPTION_TIMER", "MSR_WRITE"] : ["interrupt", "msr"];
}
