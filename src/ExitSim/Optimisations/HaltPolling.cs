namespace ExitSim.Optimisations;

/// <summary>KVM halt polling at the x86 default window.</summary>
public sealed class HaltPolling : Optimisation
{
    public const double DefaultNs = 200_000;
    public override string Name => "halt-polling";
    public override string Description => "KVM halt polling: a halted vCPU spins up to halt_poll_ns (200 µs, the x86 default) before it blocks";
    public override string Mechanism =>
        "an interrupt that arrives while the vCPU still polls wakes it without a trip through the scheduler (lower wake-up latency), " +
        "at the price of host CPU burnt polling; the HLT exits themselves remain";
    public override string Summary =>
        "A halted vCPU spins up to 200 µs before it blocks, so an interrupt arriving soon wakes it without the scheduler, at the price of host CPU.";
    public override string Source => "Documentation/virt/kvm/halt-polling.rst; docs/kvm-facts.md §3.4";

    public override Scenarios.Scenario Apply(Scenarios.Scenario s) =>
        s.Vm.HaltPollNs > 0 ? s : s with { Vm = s.Vm with { HaltPollNs = DefaultNs } };
}
