namespace ExitSim.Model;

/// <summary>
/// KVM's exit fastpath (Linux ≥ 5.8 on Intel): right after the VM-exit, with interrupts still off,
/// <c>vmx_exit_handlers_fastpath</c> (arch/x86/kvm/vmx/vmx.c) handles an MSR_WRITE to the x2APIC ICR (a single-target,
/// physical-destination, fixed IPI: <c>handle_fastpath_set_x2apic_icr_irqoff</c>) or to TSC_DEADLINE
/// (<c>handle_fastpath_set_tscdeadline</c>, both in arch/x86/kvm/x86.c <c>handle_fastpath_set_msr_irqoff</c>), and a
/// PREEMPTION_TIMER exit (<c>handle_fastpath_preemption_timer</c>), and re-enters at once (EXIT_FASTPATH_REENTER_GUEST),
/// skipping the generic exit handling of <c>vcpu_enter_guest</c> and <c>vmx_handle_exit</c>. Every other exit, an
/// x2APIC EOI or any other MSR included, takes the full path. AMD's ICR fastpath (svm_exit_handlers_fastpath) is not modelled.
/// </summary>
public static class ExitFastpath
{
    /// <summary>The host feature (<c>host.features</c>) that turns it on; off = a kernel before 5.8.</summary>
    public const string Feature = "exit-fastpath";

    /// <summary>What a fastpath-capable exit is, as the fastpath dispatch tells them apart.</summary>
    public enum Kind { IcrWrite, TscDeadlineWrite, PreemptionTimer }

    /// <summary>Whether an exit of <paramref name="reason"/> that is a <paramref name="kind"/> takes the fastpath on this host.</summary>
    public static bool Takes(Vendor vendor, IReadOnlyCollection<string> features, string reason, Kind kind) =>
        vendor == Vendor.Intel && features.Contains(Feature) && kind switch
        {
            Kind.IcrWrite => reason == "MSR_WRITE",
            // handle_fastpath_set_tscdeadline: only while the hv timer backs the guest's timer (kvm_can_use_hv_timer).
            Kind.TscDeadlineWrite => reason == "MSR_WRITE" && TimerTick.Backing(vendor, features) == TimerTick.TimerBacking.HvTimer,
            _ => reason == "PREEMPTION_TIMER",
        };
}
