using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>Guest memory backed by huge pages on the host (hugetlbfs, preallocated).</summary>
public sealed class HugePages(long pageBytes) : Optimisation
{
    public long PageBytes { get; } = pageBytes;
    public override string Name => PageBytes == 1L << 30 ? "hugepages-1g" : "hugepages-2m";
    public override string Description => $"guest memory backed by {(PageBytes == 1L << 30 ? "1 GiB" : "2 MiB")} host pages (hugetlbfs, preallocated)";
    public override string Mechanism =>
        $"one EPT_VIOLATION per {(PageBytes == 1L << 30 ? "1 GiB" : "2 MiB")} backing page instead of per 4 KiB page on first touch (÷{PageBytes / 4096:N0}), " +
        $"and shorter two-dimensional page walks on TLB misses ({(PageBytes == 1L << 30 ? 14 : 19)} memory references instead of 24), so guest compute is less inflated";
    public override string Summary =>
        $"One EPT_VIOLATION per {(PageBytes == 1L << 30 ? "1 GiB" : "2 MiB")} backing page instead of per 4 KiB, and shorter 2D page walks, so guest compute is less inflated by TLB misses.";
    public override string Source => "docs/kvm-facts.md §3.6 (Bhargava et al., ASPLOS'08: (g+1)(h+1)−1 references)";

    public override Scenario Apply(Scenario s) => s with { Vm = s.Vm with { PageSizeBytes = PageBytes } };
}
