namespace ExitSim.Optimisations;

/// <summary>Posted-interrupt delivery alone, without the rest of APIC virtualisation.</summary>
public sealed class PostedInterrupts : Optimisation
{
    public override string Name => "posted-interrupts";
    public override string Description => "interrupts posted to a running vCPU's descriptor instead of kicking it out of the guest";
    public override string Mechanism =>
        "an interrupt for a vCPU that is in the guest is delivered by the notification vector without an EXTERNAL_INTERRUPT exit; EOIs and interrupt windows still exit. " +
        "On real KVM this comes with apicv/avic; on its own here it isolates that one mechanism";
    public override string Summary =>
        "Interrupts to a running vCPU are posted without an EXTERNAL_INTERRUPT exit; EOIs and interrupt windows still exit.";
    public override string Source => "docs/kvm-facts.md §2.4 (VT-d posted interrupts / AMD IOMMU AVIC), §3.5";

    public override Scenarios.Scenario Apply(Scenarios.Scenario s) => WithFeatures(s, "posted-interrupts");

    /// <summary>APICv and AVIC post interrupts too.</summary>
    public override bool IsOn(Scenarios.Scenario s) => s.Host.Features.Any(f => f is "posted-interrupts" or "apicv" or "avic");
}
