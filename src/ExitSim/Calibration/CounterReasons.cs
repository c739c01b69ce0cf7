using ExitSim.Model;

namespace ExitSim.Calibration;

/// <summary>
/// kvm_stat in tracepoint mode without per-reason children shows only tracepoint counters. Some of
/// them fire once per exit of a known reason (arch/x86/kvm/trace.h: kvm_msr for MSR exits, kvm_pio for
/// port I/O, kvm_mmio and kvm_fast_mmio for MMIO); the rest of kvm_exit cannot be attributed and is
/// reported, not guessed.
/// </summary>
public static class CounterReasons
{
    private static readonly (string Counter, string Reason, ExitPath? Path)[] Map =
    [
        ("kvm_msr", "MSR_WRITE", ExitPath.Kernel),      // direction is lost in the counter: assumed writes (TSC_DEADLINE, ICR)
        ("kvm_pio", "IO_INSTRUCTION", null),
        ("kvm_mmio", "EPT_MISCONFIG", ExitPath.Userspace),
        ("kvm_fast_mmio", "EPT_MISCONFIG", ExitPath.Kernel),
    ];

    /// <summary>The measurement with reasons derived from its counters, or null when it has no kvm_exit counter.</summary>
    public static Measurement? Derive(Measurement m)
    {
        var exits = m.Counters.FirstOrDefault(c => c.Name == "kvm_exit");
        if (m.Reasons.Count > 0 || exits is null) return null;
        var reasons = new List<ReasonMeasurement>();
        foreach (var group in Map.GroupBy(x => x.Reason))
        {
            var counters = group.Select(g => (g, c: m.Counters.FirstOrDefault(c => c.Name == g.Counter))).Where(x => x.c is { Count: > 0 }).ToList();
            if (counters.Count == 0) continue;
            long count = counters.Sum(x => x.c!.Count);
            double? rate = counters.All(x => x.c!.RatePerSecond is not null) ? counters.Sum(x => x.c!.RatePerSecond!.Value) : null;
            var path = counters.Select(x => x.g.Path).Distinct().Count() == 1 ? counters[0].g.Path : null;
            reasons.Add(new ReasonMeasurement
            {
                Name = group.Key, SourceName = string.Join("+", counters.Select(x => x.c!.Name)), Count = count,
                RatePerSecond = rate, SourceLine = counters[0].c!.SourceLine, Path = path,
            });
        }
        if (reasons.Count == 0) return null;
        long attributed = reasons.Sum(r => r.Count);
        string remainder = exits.Count > attributed
            ? $"{exits.Count - attributed} of {exits.Count} kvm_exit events ({100.0 * (exits.Count - attributed) / exits.Count:0.#} %) cannot be attributed to a reason from tracepoint counters and are not in the scenario (kvm_stat -t shows kvm_exit(REASON) children)"
            : "all kvm_exit events attributed";
        return m with { Reasons = reasons, Notes = [.. m.Notes, remainder] };
    }
}
