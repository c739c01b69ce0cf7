using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

/// <summary>
/// Tests that run real KVM guests run one at a time: parallel guests would disturb each other's
/// timings, and two probe VMs at once have hit KVM_EXIT_INTERNAL_ERROR under nested emulation.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KvmCollection
{
    public const string Name = "kvm";

    /// <summary>The trait .ci/run selects (<c>--filter Needs=kvm</c>) to run these inside tools/kvm-sandbox.</summary>
    public const string Trait = "Needs", TraitValue = "kvm";

    /// <summary>/dev/kvm opened, or the test skipped with the reason it cannot be.</summary>
    public static KvmHost OpenOrSkip()
    {
        var kvm = KvmHost.TryOpen(out string reason);
        Skip.If(kvm is null, reason);
        return kvm!;
    }
}
