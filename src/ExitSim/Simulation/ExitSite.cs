using ExitSim.Distributions;
using ExitSim.Model;

namespace ExitSim.Simulation;

/// <summary>
/// A place exits come from, with its own path and costs, counted under its reason: every reason has
/// one (its costs from the scenario), and mechanisms add more, e.g. EPT_MISCONFIG from an emulated
/// AHCI register (userspace, emulated by QEMU) and EPT_MISCONFIG from a virtio notify claimed by an
/// ioeventfd (kernel). Samplers are fields so sampling works on them in place.
/// </summary>
public sealed class ExitSite
{
    /// <summary>Index into <see cref="SimulationModel.Reasons"/> under which its exits are counted.</summary>
    public required int Reason { get; init; }
    public required ExitPath Path { get; init; }
    /// <summary>Key of its cost stream per vCPU: a reason's own site keeps the reason's code, so adding sites does not shift it.</summary>
    public required int StreamKey { get; init; }
    public required Sampler Save;
    public required Sampler Handle;
    public required Sampler Emulate;
    public required Sampler Reenter;
    /// <summary>Fixed handling added to every exit of the site (e.g. clearing a huge page at its first touch).</summary>
    public double HandleExtraNs { get; init; }
    /// <summary>A write KVM puts in the coalesced-MMIO ring (virt/kvm/coalesced_mmio.c) instead of exiting to QEMU.</summary>
    public bool Coalesced { get; init; }
    /// <summary>What nesting adds to each of its exits when L1 handles them (host.nested), or null: set once the sites are known.</summary>
    public NestedCharge? Nested { get; internal set; }
}
