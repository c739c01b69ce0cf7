using ExitSim.Scenarios;

namespace ExitSim.Model;

/// <summary>
/// The exit reasons one iteration of a vmexit.flat test can take on a host, from the host's rules and not from the
/// test: the ICR write, the EOI and the interrupt's delivery as <see cref="ApicExits"/> says (kvm-unit-tests never
/// enables PV EOI, and its IPI target is running, so AVIC sends it without an exit); the TSC_DEADLINE write and the
/// timer's expiry as <see cref="TimerTick"/> says. Null: that step does not exit.
/// </summary>
public sealed record VmexitExits
{
    public string? Test { get; init; }
    public string? Icr { get; init; }
    public string? Eoi { get; init; }
    public string? ExternalInterrupt { get; init; }
    public string? Arm { get; init; }
    public string? Fire { get; init; }

    public static VmexitExits For(Vendor vendor, ApicMode mode, IReadOnlyCollection<string> features, VmexitTest test)
    {
        var apic = ApicExits.For(vendor, mode, features);
        return test switch
        {
            VmexitTest.Cpuid => new VmexitExits { Test = MechanismReasons.For(vendor, "CPUID") },
            VmexitTest.Vmcall => new VmexitExits { Test = MechanismReasons.For(vendor, "VMCALL") },
            VmexitTest.Ipi => new VmexitExits
            {
                Icr = apic.IcrOnlyToBlocked ? null : apic.Icr,
                Eoi = apic.EdgeEoi,
                ExternalInterrupt = apic.Posted ? null : MechanismReasons.For(vendor, MechanismReasons.ExternalInterrupt),
            },
            _ => new VmexitExits
            {
                Arm = TimerTick.Reasons(vendor, features)[1],
                Fire = test == VmexitTest.Tscdeadline ? TimerTick.Reasons(vendor, features)[0] : null,
                Eoi = apic.EdgeEoi,
            },
        };
    }

    public IEnumerable<string> Reasons => new[] { Test, Icr, Eoi, ExternalInterrupt, Arm, Fire }.OfType<string>().Distinct();
}
