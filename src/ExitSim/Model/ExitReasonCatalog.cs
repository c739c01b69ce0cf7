namespace ExitSim.Model;

/// <summary>
/// The exit reasons ExitSim knows, by vendor (docs/kvm-facts.md §2.1 VMX basic exit reasons, §2.2 SVM exit
/// codes). Names are spelled as perf kvm stat and the kvm_exit tracepoint print them.
/// </summary>
public static class ExitReasonCatalog
{
    private static ExitReason V(string name, int code, ExitPath path, ExitCategory cat, string handling) =>
        new(name, code, Vendor.Intel, path, cat, handling);
    private static ExitReason A(string name, int code, ExitPath path, ExitCategory cat, string handling, string analogue) =>
        new(name, code, Vendor.Amd, path, cat, handling, analogue);

    private const ExitPath K = ExitPath.Kernel, U = ExitPath.Userspace;

    public static readonly IReadOnlyList<ExitReason> Vmx =
    [
        V("EXCEPTION_NMI", 0, K, ExitCategory.Other, "guest exception or NMI; #PF only with shadow paging"),
        V("EXTERNAL_INTERRUPT", 1, K, ExitCategory.Interrupt, "host interrupt arrived while in guest; handled in the irqoff path"),
        V("TRIPLE_FAULT", 2, K, ExitCategory.Other, "guest triple fault → KVM_EXIT_SHUTDOWN"),
        V("INIT_SIGNAL", 3, K, ExitCategory.Other, "INIT signal"),
        V("SIPI_SIGNAL", 4, K, ExitCategory.Other, "start-up IPI"),
        V("INTERRUPT_WINDOW", 7, K, ExitCategory.Interrupt, "guest re-enabled interrupts; KVM injects the pending one"),
        V("NMI_WINDOW", 8, K, ExitCategory.Interrupt, "NMI window open"),
        V("TASK_SWITCH", 9, K, ExitCategory.Instruction, "hardware task switch, emulated"),
        V("CPUID", 10, K, ExitCategory.Instruction, "CPUID always exits on VMX; table set by KVM_SET_CPUID2"),
        V("HLT", 12, K, ExitCategory.Idle, "guest idle: halt polling, then the vCPU thread blocks"),
        V("INVD", 13, K, ExitCategory.Instruction, "INVD"),
        V("INVLPG", 14, K, ExitCategory.Memory, "not intercepted with EPT"),
        V("RDPMC", 15, K, ExitCategory.Instruction, "performance counter read"),
        V("RDTSC", 16, K, ExitCategory.Instruction, "normally not intercepted (TSC offsetting)"),
        V("VMCALL", 18, K, ExitCategory.Instruction, "hypercall (PV kick, send IPI, Hyper-V …)"),
        V("VMCLEAR", 19, K, ExitCategory.Instruction, "nested VMX"),
        V("VMLAUNCH", 20, K, ExitCategory.Instruction, "nested VMX"),
        V("VMPTRLD", 21, K, ExitCategory.Instruction, "nested VMX"),
        V("VMPTRST", 22, K, ExitCategory.Instruction, "nested VMX"),
        V("VMREAD", 23, K, ExitCategory.Instruction, "nested VMX"),
        V("VMRESUME", 24, K, ExitCategory.Instruction, "nested VMX"),
        V("VMWRITE", 25, K, ExitCategory.Instruction, "nested VMX"),
        V("VMOFF", 26, K, ExitCategory.Instruction, "nested VMX"),
        V("VMON", 27, K, ExitCategory.Instruction, "nested VMX"),
        V("CR_ACCESS", 28, K, ExitCategory.Instruction, "CR0/CR4 writes under guest/host masks"),
        V("DR_ACCESS", 29, K, ExitCategory.Instruction, "debug register access (lazy switching)"),
        V("IO_INSTRUCTION", 30, U, ExitCategory.Io, "port I/O: in-kernel devices and ioeventfd ports stay in KVM, the rest → KVM_EXIT_IO (QEMU)"),
        V("MSR_READ", 31, K, ExitCategory.Msr, "RDMSR emulated in KVM"),
        V("MSR_WRITE", 32, K, ExitCategory.Msr, "WRMSR; TSC_DEADLINE and x2APIC ICR on the fastpath"),
        V("INVALID_STATE", 33, K, ExitCategory.Other, "invalid guest state (real-mode corner cases)"),
        V("MSR_LOAD_FAIL", 34, K, ExitCategory.Other, "MSR load failed at VM entry"),
        V("MWAIT_INSTRUCTION", 36, K, ExitCategory.Idle, "MWAIT emulated as NOP/HLT"),
        V("MONITOR_TRAP_FLAG", 37, K, ExitCategory.Other, "single step (debugging, nesting)"),
        V("MONITOR_INSTRUCTION", 39, K, ExitCategory.Idle, "MONITOR"),
        V("PAUSE_INSTRUCTION", 40, K, ExitCategory.Instruction, "pause-loop exiting → directed yield"),
        V("MCE_DURING_VMENTRY", 41, K, ExitCategory.Other, "machine check during VM entry"),
        V("TPR_BELOW_THRESHOLD", 43, K, ExitCategory.Apic, "TPR below threshold (no virtual-interrupt delivery)"),
        V("APIC_ACCESS", 44, K, ExitCategory.Apic, "xAPIC MMIO page access emulated in the in-kernel LAPIC"),
        V("EOI_INDUCED", 45, K, ExitCategory.Apic, "EOI of a vector in the EOI-exit bitmap (APICv)"),
        V("GDTR_IDTR", 46, K, ExitCategory.Instruction, "descriptor-table exiting"),
        V("LDTR_TR", 47, K, ExitCategory.Instruction, "descriptor-table exiting"),
        V("EPT_VIOLATION", 48, K, ExitCategory.Memory, "guest page not mapped yet: host page fault, one per backing page"),
        V("EPT_MISCONFIG", 49, U, ExitCategory.Io, "MMIO: ioeventfd fast path in KVM, else KVM_EXIT_MMIO to QEMU"),
        V("INVEPT", 50, K, ExitCategory.Instruction, "nested"),
        V("RDTSCP", 51, K, ExitCategory.Instruction, "rarely intercepted"),
        V("PREEMPTION_TIMER", 52, K, ExitCategory.Timer, "VMX preemption timer: LAPIC TSC-deadline timer fired (fastpath)"),
        V("INVVPID", 53, K, ExitCategory.Instruction, "nested"),
        V("WBINVD", 54, K, ExitCategory.Instruction, "cache write-back"),
        V("XSETBV", 55, K, ExitCategory.Instruction, "XCR0 write"),
        V("APIC_WRITE", 56, K, ExitCategory.Apic, "trap-like APIC register write (APICv); ICR writes send IPIs"),
        V("RDRAND", 57, K, ExitCategory.Instruction, "normally not intercepted"),
        V("INVPCID", 58, K, ExitCategory.Instruction, "rarely intercepted with EPT"),
        V("VMFUNC", 59, K, ExitCategory.Instruction, "nested EPTP switching"),
        V("ENCLS", 60, K, ExitCategory.Instruction, "SGX"),
        V("RDSEED", 61, K, ExitCategory.Instruction, "normally not intercepted"),
        V("PML_FULL", 62, K, ExitCategory.Memory, "dirty-log buffer full (live migration)"),
        V("XSAVES", 63, K, ExitCategory.Instruction, "normally not intercepted"),
        V("XRSTORS", 64, K, ExitCategory.Instruction, "normally not intercepted"),
        V("UMWAIT", 67, K, ExitCategory.Idle, "UMWAIT"),
        V("TPAUSE", 68, K, ExitCategory.Idle, "TPAUSE"),
        V("BUS_LOCK", 74, K, ExitCategory.Other, "bus lock detected"),
        V("NOTIFY", 75, K, ExitCategory.Other, "notify window expired"),
        V("SEAMCALL", 76, K, ExitCategory.Instruction, "TDX"),
        V("TDCALL", 77, K, ExitCategory.Instruction, "TDX"),
        V("MSR_READ_IMM", 84, K, ExitCategory.Msr, "immediate-form RDMSR (6.16+)"),
        V("MSR_WRITE_IMM", 85, K, ExitCategory.Msr, "immediate-form WRMSRNS (6.16+)"),
    ];

    public static readonly IReadOnlyList<ExitReason> Svm =
    [
        A("read_cr0", 0x000, K, ExitCategory.Instruction, "control register read", "CR_ACCESS"),
        A("write_cr0", 0x010, K, ExitCategory.Instruction, "control register write", "CR_ACCESS"),
        A("write_cr4", 0x014, K, ExitCategory.Instruction, "control register write", "CR_ACCESS"),
        A("write_cr8", 0x018, K, ExitCategory.Apic, "TPR write", "TPR_BELOW_THRESHOLD"),
        A("read_dr7", 0x027, K, ExitCategory.Instruction, "debug register read", "DR_ACCESS"),
        A("write_dr7", 0x037, K, ExitCategory.Instruction, "debug register write", "DR_ACCESS"),
        A("PF excp", 0x04e, K, ExitCategory.Other, "page fault exception (shadow paging)", "EXCEPTION_NMI"),
        A("UD excp", 0x046, K, ExitCategory.Other, "invalid opcode exception", "EXCEPTION_NMI"),
        A("interrupt", 0x060, K, ExitCategory.Interrupt, "host interrupt arrived while in guest", "EXTERNAL_INTERRUPT"),
        A("nmi", 0x061, K, ExitCategory.Interrupt, "NMI", "EXCEPTION_NMI"),
        A("smi", 0x062, K, ExitCategory.Other, "SMI", ""),
        A("init", 0x063, K, ExitCategory.Other, "INIT", "INIT_SIGNAL"),
        A("vintr", 0x064, K, ExitCategory.Interrupt, "virtual interrupt window open", "INTERRUPT_WINDOW"),
        A("cpuid", 0x072, K, ExitCategory.Instruction, "CPUID", "CPUID"),
        A("pause", 0x077, K, ExitCategory.Instruction, "pause filter → directed yield", "PAUSE_INSTRUCTION"),
        A("hlt", 0x078, K, ExitCategory.Idle, "guest idle: halt polling, then block", "HLT"),
        A("io", 0x07b, U, ExitCategory.Io, "port I/O: in-kernel devices and ioeventfd stay in KVM, the rest → QEMU", "IO_INSTRUCTION"),
        A("msr", 0x07c, K, ExitCategory.Msr, "RDMSR/WRMSR (one code; exit_info_1 gives the direction)", "MSR_WRITE"),
        A("shutdown", 0x07f, K, ExitCategory.Other, "shutdown", "TRIPLE_FAULT"),
        A("hypercall", 0x081, K, ExitCategory.Instruction, "VMMCALL", "VMCALL"),
        A("xsetbv", 0x08d, K, ExitCategory.Instruction, "XCR0 write", "XSETBV"),
        A("invpcid", 0x0a2, K, ExitCategory.Instruction, "INVPCID", "INVPCID"),
        A("buslock", 0x0a5, K, ExitCategory.Other, "bus lock", "BUS_LOCK"),
        A("idle-halt", 0x0a6, K, ExitCategory.Idle, "idle HLT intercept (no interrupt pending)", "HLT"),
        A("npf", 0x400, K, ExitCategory.Memory, "nested page fault: page fault-in, and the MMIO path (RSVD)", "EPT_VIOLATION"),
        A("avic_incomplete_ipi", 0x401, K, ExitCategory.Apic, "AVIC: IPI target not running", "APIC_WRITE"),
        A("avic_unaccelerated_access", 0x402, K, ExitCategory.Apic, "AVIC: APIC access not accelerated", "APIC_ACCESS"),
        A("vmgexit", 0x403, K, ExitCategory.Other, "SEV-ES/SNP guest-requested exit", ""),
    ];

    public static IReadOnlyList<ExitReason> For(Vendor vendor) => vendor == Vendor.Intel ? Vmx : Svm;

    /// <summary>Finds a reason by its kernel name (exact spelling) for a vendor.</summary>
    public static ExitReason? Find(Vendor vendor, string name) => For(vendor).FirstOrDefault(r => r.Name == name);

    /// <summary>
    /// Why <paramref name="name"/> is not a reason of <paramref name="vendor"/>, with the closest fix:
    /// the other vendor's name with its analogue, a case slip, a KVM_EXIT_* userspace reason, or a typo.
    /// </summary>
    public static string Explain(Vendor vendor, string name)
    {
        var own = For(vendor);
        var other = For(vendor == Vendor.Intel ? Vendor.Amd : Vendor.Intel);
        string host = vendor == Vendor.Intel ? "intel (VMX reason names, upper case)" : "amd (SVM reason names, lower case)";
        var cased = own.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
        var foreign = other.FirstOrDefault(r => r.Name == name);
        if (foreign is not null && cased is null)
        {
            string analogue = vendor == Vendor.Intel
                ? foreign.Analogue is { Length: > 0 } a ? $" (did you mean {a}?)" : ""
                : Svm.FirstOrDefault(r => r.Analogue == name) is { } s ? $" (did you mean {s.Name}?)" : "";
            return $"'{name}' is an {(vendor == Vendor.Intel ? "AMD (SVM)" : "Intel (VMX)")} exit reason, but the host is vendor: {host}{analogue}";
        }
        if (cased is not null) return $"unknown exit reason '{name}' (did you mean {cased.Name}? reason names are spelled as the kernel prints them)";
        if (name.StartsWith("KVM_EXIT_", StringComparison.OrdinalIgnoreCase))
        {
            string hint = name.ToUpperInvariant() switch
            {
                "KVM_EXIT_IO" => vendor == Vendor.Intel ? "IO_INSTRUCTION" : "io",
                "KVM_EXIT_MMIO" => vendor == Vendor.Intel ? "EPT_MISCONFIG" : "npf",
                "KVM_EXIT_HLT" => vendor == Vendor.Intel ? "HLT" : "hlt",
                "KVM_EXIT_INTR" => vendor == Vendor.Intel ? "EXTERNAL_INTERRUPT" : "interrupt",
                "KVM_EXIT_MEMORY_FAULT" => vendor == Vendor.Intel ? "EPT_VIOLATION" : "npf",
                _ => "",
            };
            return $"'{name}' is a userspace exit reason of kvm_run, not a hardware exit" + (hint.Length > 0 ? $" (did you mean {hint}?)" : " (see: exitsim list reasons)");
        }
        string stripped = name.StartsWith("EXIT_REASON_", StringComparison.OrdinalIgnoreCase) ? name[12..] : name;
        var near = Suggest.Closest(stripped, own.Select(r => r.Name));
        return $"unknown exit reason '{name}' for vendor {(vendor == Vendor.Intel ? "intel" : "amd")}" +
               (near is not null ? $" (did you mean {near}?)" : " (see: exitsim list reasons)");
    }
}
