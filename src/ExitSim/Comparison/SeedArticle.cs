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

    /// <summary>Tolerances the issue sets: ±3 percentage points for the table; ±10 %, ±15 %, ±10 % for the case.</summary>
    public const double TablePoints = 3, IoExitsRel = 0.10, P99Rel = 0.15, ThroughputRel = 0.10;
}

public sealed record SeedRow(string Scenario, string Label, string With, double ExitsPct, double LatencyPct, double ThroughputPct);

public sealed record SeedCase(string Scenario, string With, double IoExitsBefore, double IoExitsAfter, double P99StorageBeforeNs, double P99StorageAfterNs, double ThroughputRatio);
