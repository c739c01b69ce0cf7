using ExitSim.Scenarios;

namespace ExitSim.Simulation.Memory;

/// <summary>
/// Guest memory and its backing pages on the host. A first touch of new guest memory faults once per backing page
/// (EPT_VIOLATION, handled in the kernel, plus clearing a new huge page); a TLB miss walks the guest's and the
/// host's page tables, (g+1)(h+1)−1 memory references (Bhargava et al., ASPLOS'08), which inflates guest compute.
/// Only the walk shortens with huge host pages: they do not enlarge the guest's TLB reach while it maps 4 KiB pages.
/// </summary>
public sealed class GuestMemory
{
    private GuestMemory(double faultsPerGuestSecond, double zeroNsPerFault, double tlbFactor)
    {
        FaultsPerGuestSecond = faultsPerGuestSecond;
        ZeroNsPerFault = zeroNsPerFault;
        TlbFactor = tlbFactor;
    }

    public static GuestMemory Of(Scenario s) => new(
        s.Memory is { TouchBytesPerSecond: > 0 } m ? m.TouchBytesPerSecond / s.Vm.PageSizeBytes : 0,
        // Clearing the part of a new backing page beyond the 4 KiB the fault's handle cost covers; preallocated
        // hugetlbfs pages were cleared when QEMU started (prealloc=on), so their fault only maps them.
        s.Memory is { ZeroBytesPerSecond: > 0 } z && s.Vm.Backing != MemoryBacking.Hugetlbfs ? (s.Vm.PageSizeBytes - 4096) / z.ZeroBytesPerSecond * 1e9 : 0,
        1 + (s.Memory?.TlbOverhead ?? 0) * WalkReferences(s.Vm.PageSizeBytes) / 24.0);

    /// <summary>First-touch faults per second of guest time: <c>touch_rate</c> / page size (0: none).</summary>
    public double FaultsPerGuestSecond { get; }
    /// <summary>Fixed handling added to every first-touch fault: clearing the new page.</summary>
    public double ZeroNsPerFault { get; }
    /// <summary>Guest compute multiplier from two-dimensional page walks at the VM's page size.</summary>
    public double TlbFactor { get; }

    /// <summary>Memory references of a 2D page walk with 4-level guest tables and the given host page size.</summary>
    public static int WalkReferences(long hostPageBytes) => hostPageBytes switch
    {
        1L << 30 => 14,
        2L << 20 => 19,
        _ => 24,
    };
}
