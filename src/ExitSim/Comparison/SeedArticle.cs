namespace ExitSim.Comparison;

/// <summary>
/// The seed article's before/after claims (docs/seed-article.md), which the shipped scenarios
/// reproduce: targets to question, not measurements (the article gives no source for them).
/// </summary>
public static class SeedArticle
{
    /// <summary>The results table, each change in % (exit frequency, mean exit latency, application performance).</summary>
    public static readonly IReadOnlyList<SeedRow> Table =
    [
        new("seed-web", "web server", "virtio,hugepages-2m,apicv", -68, -42, 27),
        new("seed-database", "database (MySQL)", "virtio,hugepages-2m,apicv", -72, -38, 31),
        new("seed-bigdata", "big data", "virtio,hugepages-2m,apicv", -54, -29, 18),
    ];

    /// <summary>The e-commerce case (virtio-blk + 1 GiB huge pages).</summary>
    public static readonly SeedCase Ecommerce = new("seed-ecommerce-db", "virtio,hugepages-1g", 45_000, 8_200, 12e6, 3.5e6, 2.3);

    /// <summary>
    /// Claims the model no longer reaches with mechanisms as KVM and QEMU have them, and no parameter was re-fitted to
    /// reach them: ExitSim's number (percent change, or for the case the value) and why. A test keeps each within 3 points
    /// (3 % for the case) of what is written here, so a change that moves them has to be explained again.
    /// </summary>
    public static readonly IReadOnlyList<SeedDeparture> Departures =
    [
        new("seed-web", "exits_per_second", -48.6, NoHz),
        new("seed-database", "exits_per_second", -54.3, NoHz),
        new("seed-web", "mean_exit_latency_ns", -46.0, ShortExitsAdded),
        new("seed-database", "mean_exit_latency_ns", -47.6, ShortExitsAdded),
        new("seed-web", "throughput_ops_per_second", 21.7,
            "QEMU's e1000 writes RDT through coalesced MMIO and mitigates its interrupts (both on by default), so the emulated before arm is cheaper than the one the seed's table was fitted to"),
        new("seed-bigdata", "exits_per_second", -69.3, Pause),
        new("seed-bigdata", "mean_exit_latency_ns", -20.5, Pause),
        new("seed-ecommerce-db", "io_exits_after", 7215,
            "virtio-blk's ring is 256 deep (QEMU's queue-size) and a kick to a sleeping QEMU thread pays its wake-up, so more requests share a notify"),
    ];

    private const string NoHz =
        "a tickless Linux guest re-arms TSC_DEADLINE when it enters and leaves idle (two MSR_WRITE exits per idle period, kernel/time/tick-sched.c); " +
        "the faster after arm idles more often, so fewer exits go away";
    private const string ShortExitsAdded =
        "the after arm's added exits (the NO_HZ re-arms) are short MSR_WRITEs, and preallocated hugetlbfs pages are no longer cleared at fault, so its mean falls further";
    private const string Pause =
        "pause-loop exiting ignores user-mode spinning (SDM vol. 3C, CPL 0 only), so the 37.6k/s JVM PAUSE exits the fit kept as survivors are gone";

    public static SeedDeparture? Departure(string scenario, string metric) => Departures.FirstOrDefault(d => d.Scenario == scenario && d.Metric == metric);

    /// <summary>Tolerances the issue sets: ±3 percentage points for the table; ±10 %, ±15 %, ±10 % for the case.</summary>
    public const double TablePoints = 3, IoExitsRel = 0.10, P99Rel = 0.15, ThroughputRel = 0.10;
}

/// <summary>A seed claim ExitSim does not reach within tolerance: its own number, and why.</summary>
public sealed record SeedDeparture(string Scenario, string Metric, double ExitSim, string Why);

public sealed record SeedRow(string Scenario, string Label, string With, double ExitsPct, double LatencyPct, double ThroughputPct);

public sealed record SeedCase(string Scenario, string With, double IoExitsBefore, double IoExitsAfter, double P99StorageBeforeNs, double P99StorageAfterNs, double ThroughputRatio);
