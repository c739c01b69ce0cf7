using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>Intel APICv or AMD AVIC: a virtual local APIC in hardware, with posted interrupts.</summary>
public sealed class ApicVirtualisation(Vendor vendor) : Optimisation
{
    public override Vendor? Vendor => vendor;
    public override string Name => vendor == Model.Vendor.Intel ? "apicv" : "avic";
    public override string Description => vendor == Model.Vendor.Intel
        ? "Intel APIC virtualisation: virtual interrupt delivery, EOI virtualisation and posted interrupts"
        : "AMD AVIC: hardware virtual APIC with interrupts posted to running vCPUs";
    public override string Mechanism => vendor == Model.Vendor.Intel
        ? "interrupts to a running vCPU are posted without an EXTERNAL_INTERRUPT exit, a pending interrupt needs no INTERRUPT_WINDOW exit, and the " +
          "EOI of an edge vector no longer exits; a level-triggered vector (an e1000's INTx) stays in the EOI-exit bitmap and exits as EOI_INDUCED. " +
          "The IPI sender still exits on its ICR write: MSR_WRITE in x2APIC mode, APIC_WRITE in xAPIC mode (unless ipiv)"
        : "interrupts to a running vCPU are posted through the AVIC doorbell (no 'interrupt' exit) and need no 'vintr' exit; with an xAPIC guest, or an " +
          "x2APIC guest on x2avic hardware (Zen 4+), edge EOIs do not exit, a level-triggered EOI exits as avic_unaccelerated_access, and the IPI " +
          "sender exits (avic_incomplete_ipi) only when the target is not running; a TLB shootdown to every other vCPU is one shorthand broadcast " +
          "that exits once if any target is not running, and KVM's slow-path kick loop then costs host.ipi_send per other vCPU. " +
          "An x2APIC guest without x2avic runs hybrid-AVIC: every EOI and " +
          "ICR write is still an 'msr' exit. kvm_amd's avic is off by default before Linux 6.18 and on older CPUs";
    public override string Summary => vendor == Model.Vendor.Intel
        ? "Interrupts are posted and edge EOIs virtualised, so interrupt, EOI and interrupt-window exits go away; level-triggered EOIs (EOI_INDUCED) and the IPI sender's ICR write remain."
        : "Interrupts are posted and EOIs/IPIs accelerated (x2APIC guests need x2avic); an IPI exits only for a target not running, a broadcast once, with a kick loop over every vCPU.";
    public override string Source => vendor == Model.Vendor.Intel
        ? "Intel SDM vol. 3 ch. 31 APIC virtualization (§31.1.3 EOI-exit bitmap, §31.4.3 APIC-write emulation); arch/x86/kvm/ioapic.c kvm_ioapic_scan_entry; " +
          "docs/kvm-facts.md §2.4, §3.5 (Liang Li, qemu-devel 2021)"
        : "AMD APM vol. 2 §15.29 AVIC; arch/x86/kvm/svm/avic.c (avic_activate_vmcb hybrid-AVIC, avic_incomplete_ipi_interception, " +
          "avic_kick_target_vcpus and its fast path avic_kick_target_vcpus_fast, which refuses shorthands; " +
          "arch/x86/kernel/apic/ipi.c native_send_call_func_ipi for the guest's shorthand; " +
          "avic_want_avic_enabled: auto since Linux 6.18, commit ca2967de5a5b, on for Zen 4+ with x2AVIC)";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
