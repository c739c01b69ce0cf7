using System.Text.RegularExpressions;

namespace ExitSim.Calibration.Importers;

/// <summary>What a kvm tracepoint that fires while KVM handles an exit says the guest did.</summary>
internal enum AccessKind : byte
{
    PioWrite,
    PioRead,
    MmioWrite,
    MmioRead,
    MmioUnsatisfiedRead,
    FastMmio,
    MsrRead,
    MsrWrite,
}

/// <summary>
/// The tracepoints that fire once per exit of a known reason, read from their TP_printk text: <c>kvm_pio</c>,
/// <c>kvm_fast_mmio</c> and <c>kvm_msr</c> (arch/x86/kvm/trace.h) and <c>kvm_mmio</c> (include/trace/events/kvm.h).
/// Reasons are VMX names; a trace without kvm_exit does not say the vendor.
/// </summary>
internal static partial class TraceAccess
{
    /// <summary>The access an event shows; null for other events, and for these events in a layout not known here.</summary>
    public static AccessKind? Read(string eventName, string payload) => eventName switch
    {
        // "pio_%s at 0x%x size %d count %d val 0x%x %s"; ≤4.x without val.
        "kvm_pio" when Pio().Match(payload) is { Success: true } pio => pio.Groups[1].Value == "write" ? AccessKind.PioWrite : AccessKind.PioRead,
        // "mmio %s len %u gpa 0x%llx val 0x%llx", the type one of unsatisfied-read, read, write.
        "kvm_mmio" when Mmio().Match(payload) is { Success: true } mmio => mmio.Groups[1].Value switch
        {
            "write" => AccessKind.MmioWrite,
            "read" => AccessKind.MmioRead,
            _ => AccessKind.MmioUnsatisfiedRead,
        },
        // "fast mmio at gpa 0x%llx"
        "kvm_fast_mmio" when FastMmio().IsMatch(payload) => AccessKind.FastMmio,
        // "msr_%s %x = 0x%llx%s", with " (#GP)" when the access faulted (still one exit).
        "kvm_msr" when Msr().Match(payload) is { Success: true } msr => msr.Groups[1].Value == "write" ? AccessKind.MsrWrite : AccessKind.MsrRead,
        _ => null,
    };

    /// <summary>The events <see cref="Read"/> understands.</summary>
    public static bool IsAccessEvent(string eventName) => eventName is "kvm_pio" or "kvm_mmio" or "kvm_fast_mmio" or "kvm_msr";

    /// <summary>
    /// The exit reason behind an access, as KVM reaches these tracepoints: port I/O from the IO_INSTRUCTION handler (or the
    /// instruction emulator), MMIO from the EPT_MISCONFIG fast path (kvm_fast_mmio, vmx.c handle_ept_misconfig) or the
    /// emulator after an EPT_MISCONFIG, MSRs from the MSR_READ/MSR_WRITE handlers (x86.c kvm_emulate_rdmsr/wrmsr and the
    /// fastpath). On SVM these are io, npf and msr.
    /// </summary>
    public static string Reason(AccessKind kind) => kind switch
    {
        AccessKind.PioWrite or AccessKind.PioRead => "IO_INSTRUCTION",
        AccessKind.MsrRead => "MSR_READ",
        AccessKind.MsrWrite => "MSR_WRITE",
        _ => "EPT_MISCONFIG",
    };

    [GeneratedRegex(@"^pio_(read|write) at 0x[0-9a-fA-F]+ size \d+ count \d+")]
    private static partial Regex Pio();

    [GeneratedRegex(@"^mmio (unsatisfied-read|read|write) len \d+ gpa 0x[0-9a-fA-F]+")]
    private static partial Regex Mmio();

    [GeneratedRegex(@"^fast mmio at gpa 0x[0-9a-fA-F]+")]
    private static partial Regex FastMmio();

    [GeneratedRegex(@"^msr_(read|write) [0-9a-fA-F]+ = 0x[0-9a-fA-F]+")]
    private static partial Regex Msr();
}
