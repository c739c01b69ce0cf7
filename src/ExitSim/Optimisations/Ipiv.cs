using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>Intel IPI virtualisation (Sapphire Rapids and later): the sender's ICR write no longer exits.</summary>
public sealed class Ipiv : Optimisation
{
    public override Vendor? Vendor => Model.Vendor.Intel;
    public override string Name => "ipiv";
    public override string Description => "Intel IPI virtualisation (Sapphire Rapids+, kvm_intel enable_ipiv, on by default with APICv)";
    public override string Mechanism =>
        "a unicast physical-destination IPI (Linux's reschedule IPI in x2APIC physical mode) is posted by the CPU to the target's " +
        "posted-interrupt descriptor without an exit on the sender (MSR_WRITE in x2APIC mode, APIC_WRITE in xAPIC mode); a blocked " +
        "target is woken through the descriptor's wake-up vector. Broadcast and logical-destination IPIs still exit (not modelled). Needs apicv";
    public override string Summary => "The sender of a unicast IPI no longer exits on its ICR write; the CPU posts the IPI to the target (needs apicv).";
    public override string Source =>
        "arch/x86/kvm/vmx/vmx.c enable_ipiv (off without enable_apicv); arch/x86/kvm/vmx/posted_intr.c pi_wakeup_handler; Intel SDM vol. 3 §31.1.6 IPI virtualization";

    public override Scenario Apply(Scenario s) => WithFeatures(s, Name);
}
