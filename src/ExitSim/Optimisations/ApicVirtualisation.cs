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
    public override string Mechanism =>
        "interrupts to a running vCPU are posted without an EXTERNAL_INTERRUPT exit, the guest's EOI no longer exits (APIC_ACCESS / MSR_WRITE), " +
        "and a pending interrupt needs no INTERRUPT_WINDOW exit; the sender of an IPI still exits on its ICR write";
    public override string Summary =>
        "Interrupts are posted to running vCPUs and EOIs are virtualised, so the interrupt, EOI and interrupt-window exits go away (an IPI's sender still exits).";
    public override string Source => "docs/kvm-facts.md §2.4, §3.5 (Liang Li, qemu-devel 2021; Intel SDM vol. 3 ch. 30 APIC virtualization)";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
