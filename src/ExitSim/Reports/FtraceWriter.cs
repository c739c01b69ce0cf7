using System.Globalization;
using ExitSim.Model;
using ExitSim.Simulation;

namespace ExitSim.Reports;

/// <summary>
/// Writes simulated exits as the kvm tracepoints print them (5.10+ formats, docs/kvm-facts.md §1.3), with
/// nanosecond timestamps as <c>trace-cmd report -t</c> shows them. As on a real host, kvm_exit fires
/// after the hardware exit (after save) and kvm_entry before the VM entry (before reenter), and a
/// userspace exit shows kvm_userspace_exit where KVM hands it to QEMU. Port I/O and MMIO exits also
/// show the access KVM traces while handling them (arch/x86/kvm/trace.h, include/trace/events/kvm.h):
/// <c>kvm_pio</c> for a port write; <c>kvm_fast_mmio</c> for an EPT_MISCONFIG write an ioeventfd claims
/// (vmx.c handle_ept_misconfig), <c>kvm_mmio</c> for one that goes to QEMU. An exit handled in the
/// kernel — a virtio notify at an ioeventfd — has no kvm_userspace_exit, as on a real host.
/// </summary>
public static class FtraceWriter
{
    private const double BootOffsetSeconds = 1000; // a plausible uptime, so timestamps look like a host's

    public static void Write(TextWriter w, SimulationModel model, IEnumerable<ExitRecord> exits, string scenario, ulong seed)
    {
        var events = new List<(double Time, int Order, ExitRecord Exit, int Kind)>();
        foreach (var e in exits)
        {
            double exitAt = e.Start + e.Save, userspaceAt = exitAt + e.Handle, entryAt = e.End - e.Reenter;
            bool userspace = (e.Site >= 0 ? model.Sites[e.Site].Path : model.Reasons[e.Reason].Path) == ExitPath.Userspace;
            events.Add((exitAt, 0, e, 0));
            if (Access(model.Reasons[e.Reason].Name, userspace) is not null) events.Add((exitAt + e.Handle / 2, 1, e, userspace ? 4 : 3));
            if (userspace) events.Add((userspaceAt, 2, e, 1));
            events.Add((entryAt, 3, e, 2));
        }
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Exit.Vcpu != b.Exit.Vcpu ? a.Exit.Vcpu.CompareTo(b.Exit.Vcpu) : a.Order.CompareTo(b.Order));
        var inv = CultureInfo.InvariantCulture;
        w.Write($"# tracer: nop\n#\n# entries-in-buffer/entries-written: {events.Count}/{events.Count}   #P:{model.Scenario.Host.Cores}\n");
        w.Write($"# exported by exitsim from scenario '{scenario}', seed {seed}, replication 0 (simulated, not measured)\n#\n");
        foreach (var (time, _, e, kind) in events)
        {
            var reason = model.Reasons[e.Reason];
            string comm = $"CPU {e.Vcpu}/KVM-{2000 + e.Vcpu}";
            string stamp = (BootOffsetSeconds + time / 1e9).ToString("0.000000000", inv);
            string prefix = $"{comm,24} [{e.Vcpu % 1000:000}] d.... {stamp}: ";
            w.Write(prefix);
            w.Write(kind switch
            {
                0 => $"kvm_exit: vcpu {e.Vcpu} reason {reason.Name} rip 0xffffffff81000000 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000",
                1 => $"kvm_userspace_exit: reason {UserspaceReason(reason.Name)}",
                3 => Access(reason.Name, userspace: false),
                4 => Access(reason.Name, userspace: true),
                _ => $"kvm_entry: vcpu {e.Vcpu}, rip 0xffffffff81000000",
            });
            w.Write('\n');
        }
    }

    /// <summary>The access event KVM traces while handling a port or MMIO exit; null for other reasons (and for
    /// npf handled in the kernel, which is a page fault as often as an MMIO write).</summary>
    private static string? Access(string reason, bool userspace) => (reason, userspace) switch
    {
        ("IO_INSTRUCTION" or "io", false) => "kvm_pio: pio_write at 0xc050 size 2 count 1 val 0x0",   // a virtio-pci legacy notify register
        ("IO_INSTRUCTION" or "io", true) => "kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x41",    // an emulated UART register
        ("EPT_MISCONFIG", false) => "kvm_fast_mmio: fast mmio at gpa 0xfe003000",                  // a virtio-pci modern notify
        ("EPT_MISCONFIG" or "npf", true) => "kvm_mmio: mmio write len 4 gpa 0xfebf0000 val 0x1",
        _ => null,
    };

    /// <summary>The kvm_run exit reason QEMU sees for a forwarded hardware exit (include/uapi/linux/kvm.h).</summary>
    private static string UserspaceReason(string reason) => reason switch
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
