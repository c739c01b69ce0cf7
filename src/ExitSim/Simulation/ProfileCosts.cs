using ExitSim.Model;

namespace ExitSim.Simulation;

/// <summary>
/// Which exit path measured by <c>exitsim probe</c> stands for which (reason, path) of a scenario
/// (docs/probe.md): port I/O and MMIO, forwarded to userspace or handled in KVM through ioeventfd.
/// A probed round trip covers save + handle + reenter with a trivial device, so it replaces the
/// fixed part of the exit; the device model's own work (emulate) stays on top.
/// </summary>
public static class ProfileCosts
{
    public static string? PathFor(string reason, ExitPath path) => (reason, path) switch
    {
        ("IO_INSTRUCTION" or "io", ExitPath.Userspace) => "userspace_pio",
        ("IO_INSTRUCTION" or "io", ExitPath.Kernel) => "ioeventfd_pio",
        ("EPT_MISCONFIG", ExitPath.Userspace) => "userspace_mmio",
        ("EPT_MISCONFIG", ExitPath.Kernel) => "ioeventfd_mmio",
        _ => null,
    };
}
