using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Units;

namespace ExitSim.Calibration;

/// <summary>
/// The cost of exits a partial trace shows only in part (no kvm_entry, no read completion after them). A userspace exit
/// is KVM's part up to kvm_userspace_exit, which the trace times, plus the round trip through the VMM, measured where a
/// read's completion marks the return and assumed otherwise. A kernel exit gets the typical cost of its reason. Either
/// rest is capped by the gap to the thread's next exit, which bounds it from above.
/// </summary>
internal static class PartialCost
{
    /// <summary>
    /// The kernel→VMM→kernel round trip when the trace does not show it: 4,200 cycles, the difference between a user-space
    /// and an in-kernel I/O exit (6,732 − 2,565 cycles, Dall et al., USENIX ATC 2017, Table 2). The VMM's own work is extra.
    /// </summary>
    public const double RoundTripCycles = 4_200;

    public static CalibratedCost For(PathRow row, PartialTiming p, double ghz, double assumedCv)
    {
        double? bound = p.RestBoundNs.Length > 0 ? p.RestBoundNs.Average() : null;
        var parts = new List<string>();
        Distribution cost;
        if (row.Path == ExitPath.Userspace)
        {
            double kvm = 0;
            if (p.ToUserspaceNs.Length > 0)
            {
                kvm = p.ToUserspaceNs.Average();
                parts.Add($"{UnitFormat.Time(kvm)} from the access event to kvm_userspace_exit (mean of {p.ToUserspaceNs.Length}, measured)");
            }

            double rest;
            if (p.RoundTripNs.Length > 0)
            {
                rest = p.RoundTripNs.Average();
                parts.Add($"{UnitFormat.Time(rest)} from kvm_userspace_exit to the read's completion on re-entry (mean of {p.RoundTripNs.Length}, measured)");
            }
            else
            {
                rest = RoundTripCycles / ghz;
                parts.Add($"{UnitFormat.Time(rest)} assumed for the round trip through the VMM: 4,200 cycles, a user-space minus an in-kernel I/O exit "
                          + "(Dall et al., ATC 2017); the VMM's own work is not known and not included");
                rest = Capped(rest, bound, parts);
            }

            cost = new LogNormalDistribution(Quantity.Ns(CleanNumbers.TimeNs(kvm + rest)), assumedCv);
            parts.Add($"cv {assumedCv} assumed");
        }
        else
        {
            var (typical, why) = CostChoice.Typical(row);
            var mean = typical.Mean(ghz);
            parts.Add($"assumed {UnitFormat.Time(mean)}: {why}");
            var capped = Capped(mean, bound, parts);
            cost = capped < mean ? new LogNormalDistribution(Quantity.Ns(CleanNumbers.TimeNs(capped)), 0.5) : typical;
        }

        var events = row.Reason.SourceName is { Length: > 0 } e ? e : "its events";
        var note = $"{row.Source}: the trace ({events}) does not mark where {p.Unmarked} of these {row.Reason.Count} exits end (no kvm_entry): "
                   + string.Join("; ", parts);
        return new CalibratedCost(cost, "partial", cost.Format(), null, note);
    }

    /// <summary>The gap from an exit's last event to its thread's next exit holds the rest of the exit and then guest time.</summary>
    private static double Capped(double rest, double? bound, List<string> parts)
    {
        if (bound is not { } b || b >= rest)
        {
            if (bound is { } shown)
            {
                parts.Add($"consistent with the gap to each thread's next exit ({UnitFormat.Time(shown)} on average), which bounds it from above");
            }

            return rest;
        }

        parts.Add($"capped at {UnitFormat.Time(b)}, the mean gap to each thread's next exit, which bounds it from above");
        return b;
    }
}
