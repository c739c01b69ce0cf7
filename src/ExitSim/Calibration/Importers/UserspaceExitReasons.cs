using System.Text.RegularExpressions;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// <c>kvm_userspace_exit</c> (include/trace/events/kvm.h) prints <c>reason %s (%d)</c>: a <c>KVM_EXIT_*</c> name of
/// kvm_run.exit_reason (include/uapi/linux/kvm.h), or <c>restart</c>/<c>error</c> when KVM_RUN returned -EINTR or another
/// error. This maps the names to the hardware exit that hands KVM_RUN back to the VMM with that reason (VMX names).
/// </summary>
internal static partial class UserspaceExitReasons
{
    /// <summary>What a kvm_userspace_exit payload means.</summary>
    public readonly record struct Meaning(string Name, string? Reason, bool IsExit);

    public static Meaning? Read(string payload)
    {
        if (Payload().Match(payload) is not { Success: true } m)
        {
            return null;
        }

        var name = m.Groups[1].Value;
        return name switch
        {
            // KVM_RUN interrupted by a signal (-EINTR prints "restart") or failing: no hardware exit went to userspace.
            "restart" or "error" or "KVM_EXIT_INTR" => new Meaning(name, null, false),
            "KVM_EXIT_IO" => new Meaning(name, "IO_INSTRUCTION", true),
            "KVM_EXIT_MMIO" => new Meaning(name, "EPT_MISCONFIG", true),
            "KVM_EXIT_HLT" => new Meaning(name, "HLT", true),                 // only with a userspace LAPIC
            "KVM_EXIT_X86_RDMSR" => new Meaning(name, "MSR_READ", true),      // KVM_CAP_X86_USER_SPACE_MSR
            "KVM_EXIT_X86_WRMSR" => new Meaning(name, "MSR_WRITE", true),
            "KVM_EXIT_HYPERCALL" => new Meaning(name, "VMCALL", true),
            "KVM_EXIT_IRQ_WINDOW_OPEN" => new Meaning(name, "INTERRUPT_WINDOW", true), // userspace irqchip
            "KVM_EXIT_SHUTDOWN" => new Meaning(name, "TRIPLE_FAULT", true),
            _ => new Meaning(name, null, true),
        };
    }

    [GeneratedRegex(@"^reason (\S+) \(-?\d+\)")]
    private static partial Regex Payload();
}
