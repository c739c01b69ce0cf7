using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// VT-d posted interrupts: the IOMMU's interrupt-remapping entry of a passed-through device's MSI is in posted format, so the
/// IOMMU itself posts the interrupt to the vCPU's posted-interrupt descriptor.
/// </summary>
public sealed class VtdPostedInterrupts : Optimisation
{
    public override Vendor? Vendor => Model.Vendor.Intel;
    public override string Name => "vtd-pi";
    public override string Description => "VT-d posted interrupts for passed-through (vfio) devices (IOMMU with IRQ posting, on by default with APICv)";
    public override string Mechanism =>
        "KVM rewrites the IRTE of each VFIO MSI into posted format pointing at the target vCPU's posted-interrupt descriptor; the IOMMU posts the " +
        "interrupt and sends the notification vector, so a running vCPU takes it with no exit (no host IRQ, no EXTERNAL_INTERRUPT) and a blocked one is " +
        "woken through the wake-up vector (pi_wakeup_handler). Affects only vfio devices; needs apicv (KVM leaves the IRTE in remapped format without it)";
    public override string Summary => "The IOMMU posts a vfio device's MSI straight to the vCPU: no host IRQ and no EXTERNAL_INTERRUPT exit (needs apicv).";
    public override string Source =>
        "arch/x86/kvm/vmx/posted_intr.c pi_update_irte (needs kvm_arch_has_assigned_device, irq_remapping_cap(IRQ_POSTING_CAP) and APICv active); " +
        "drivers/iommu/intel/irq_remapping.c (posted IRTE); drivers/iommu/irq_remapping.c disable_irq_post = 0; Intel VT-d spec §9.11 posted-interrupt IRTE";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
