using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Units;

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

    /// <summary>
    /// The handle phase that makes save + handle + reenter the probed round trip: a lognormal with the
    /// round trip's median and mean (exit times are right-skewed, and a run adds up means), or a
    /// constant at the median where the profile has no mean or it is not above the median.
    /// </summary>
    public static Distribution Handle(ProfilePath measured, double saveAndReenterNs)
    {
        double median = Math.Max(1, measured.MedianNs - saveAndReenterNs);
        double mean = (measured.MeanNs ?? 0) - saveAndReenterNs;
        if (mean <= median * 1.001) return new ConstantDistribution(Quantity.Ns(median));
        double ratio = mean / median; // = exp(sigma^2 / 2) for a lognormal
        return new LogNormalDistribution(Quantity.Ns(mean), Math.Sqrt(ratio * ratio - 1));
    }
}
