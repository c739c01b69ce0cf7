namespace ExitSim.Scenarios;

/// <summary>
/// The guest's TLB shootdowns (<c>vm.tlb_shootdowns</c>): a vCPU that changes its process's mappings (munmap, madvise,
/// a heap trim) flushes the other vCPUs running that mm and busy-waits until each has acknowledged (arch/x86/mm/tlb.c
/// native_flush_tlb_multi → on_each_cpu_cond_mask, waiting on the csd locks). <see cref="Rate"/> is shootdowns per
/// second of guest time per vCPU; <see cref="AckNs"/> is how long a running target takes from the IPI to its
/// acknowledgement (delivery, flush_tlb_func, csd unlock).
/// </summary>
public sealed record TlbShootdownSpec(double Rate, double AckNs)
{
    /// <summary>A running target's IPI-to-ack time when the scenario gives none: a few µs (Amit, ATC'17, Table 1: a 2-core shootdown ≈ 2–4 µs bare metal).</summary>
    public const double DefaultAckNs = 2_000;
}
