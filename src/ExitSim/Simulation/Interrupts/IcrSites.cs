namespace ExitSim.Simulation.Interrupts;

/// <summary>
/// The sender's ICR-write sites by what KVM's delivery does for the target (arch/x86/kvm/vmx/vmx.c
/// kvm_vcpu_trigger_posted_interrupt): <paramref name="Notify"/> sends the notification IPI to a target IN_GUEST_MODE;
/// <paramref name="Post"/> only sets PIR and ON (halt-polling, root mode, preempted, or ON already set);
/// <paramref name="Wake"/> sets them and wakes a blocked target (kvm_vcpu_wake_up → rcuwait_wake_up). All three are one
/// site when the scenario does not split the send (<c>host.ipi_notify</c> and <c>host.ipi_wake</c> zero); -1: no exit.
/// </summary>
public readonly record struct IcrSites(int Notify, int Post, int Wake)
{
    /// <summary>The send costs the same whatever the target's state.</summary>
    public bool Single => Post == Notify && Wake == Notify;
}
