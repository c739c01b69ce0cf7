using ExitSim.Simulation;

namespace ExitSim.Reports;

/// <summary>
/// Simulated exits as the kvm tracepoints print them (5.10+ formats, docs/kvm-facts.md §1.3), with
/// nanosecond timestamps as <c>trace-cmd report -t</c> shows them. As on a real host, kvm_exit fires
/// after the hardware exit (after save) and kvm_entry before the VM entry (before reenter), and a
/// userspace exit shows kvm_userspace_exit where KVM hands it to QEMU. Port I/O and MMIO exits also
/// show the access KVM traces while handling them (arch/x86/kvm/trace.h, include/trace/events/kvm.h):
/// <c>kvm_pio</c> for a port write; <c>kvm_fast_mmio</c> for an EPT_MISCONFIG write an ioeventfd claims
/// (vmx.c handle_ept_misconfig), <c>kvm_mmio</c> for one that goes to QEMU or to the coalesced-MMIO ring. An exit handled in the
/// kernel — a virtio notify at an ioeventfd — has no kvm_userspace_exit, as on a real host.
/// <see cref="FtraceSink"/> writes them while a replication runs; this writes a list of them.
/// </summary>
public static class FtraceWriter
{
    public static void Write(TextWriter w, SimulationModel model, IEnumerable<ExitRecord> exits, string scenario, ulong seed)
    {
        var sink = new FtraceSink(w, model, scenario, seed);
        foreach (var e in exits) sink.OnExit(e);
        sink.Finish();
    }

    /// <summary>The access event KVM traces while handling a port or MMIO exit; null for other reasons (and for
    /// npf handled in the kernel, which is a page fault as often as an MMIO write).</summary>
    internal static string? Access(string reason, bool userspace, bool coalesced = false) => (reason, userspace) switch
    {
        // e1000's RDT (BAR offset 0x2818): KVM emulates the write into the coalesced-MMIO ring, no userspace exit.
        ("EPT_MISCONFIG" or "npf", false) when coalesced => "kvm_mmio: mmio write len 4 gpa 0xfebc2818 val 0xff",
        ("IO_INSTRUCTION" or "io", false) => "kvm_pio: pio_write at 0xc050 size 2 count 1 val 0x0",   // a virtio-pci legacy notify register
        ("IO_INSTRUCTION" or "io", true) => "kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x41",    // an emulated UART register
        ("EPT_MISCONFIG", false) => "kvm_fast_mmio: fast mmio at gpa 0xfe003000",                  // a virtio-pci modern notify
        ("EPT_MISCONFIG" or "npf", true) => "kvm_mmio: mmio write len 4 gpa 0xfebf0000 val 0x1",
        _ => null,
    };

    /// <summary>The kvm_run exit reason QEMU sees for a forwarded hardware exit (include/uapi/linux/kvm.h).</summary>
    internal static string UserspaceReason(string reason) => reason switch
    {
        "IO_INSTRUCTION" or "io" => "KVM_EXIT_IO (2)",
        "EPT_MISCONFIG" or "EPT_VIOLATION" or "npf" => "KVM_EXIT_MMIO (6)",
        "HLT" or "hlt" => "KVM_EXIT_HLT (5)",
        "MSR_READ" => "KVM_EXIT_X86_RDMSR (29)",
        "MSR_WRITE" or "msr" => "KVM_EXIT_X86_WRMSR (30)",
        "VMCALL" or "hypercall" => "KVM_EXIT_HYPERCALL (3)",
        _ => "KVM_EXIT_UNKNOWN (0)",
    };
}
