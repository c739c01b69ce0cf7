namespace ExitSim.Model;

/// <summary>
/// One hardware exit reason as the kernel prints it (VMX: arch/x86/include/uapi/asm/vmx.h;
/// SVM: uapi/asm/svm.h; docs/kvm-facts.md §2.1–2.2), with the path KVM usually takes for it.
/// </summary>
public sealed record ExitReason(
    string Name,
    int Code,
    Vendor Vendor,
    ExitPath TypicalPath,
    ExitCategory Category,
    string Handling,
    string? Analogue = null);
