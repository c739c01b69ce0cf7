using System.Collections.Frozen;

using ExitSim.Model;

namespace ExitSim.Calibration;

/// <summary>
/// The exit-reason names KVM prints (VMX_EXIT_REASONS in arch/x86/include/uapi/asm/vmx.h, SVM_EXIT_REASONS in svm.h), used to guess the host vendor from a file.
/// </summary>
public static class ExitReasonVocabulary
{
    /// <summary>VMX basic exit reasons as the catalog spells them (vmx.h), plus the older name PENDING_INTERRUPT.</summary>
    public static FrozenSet<string> Vmx { get; } =
        ExitReasonCatalog.Vmx.Select(r => r.Name).Append("PENDING_INTERRUPT").ToFrozenSet(StringComparer.Ordinal);

    /// <summary>SVM names that cannot be mistaken for a lower-cased VMX name (svm.h trace strings); names both vendors
    /// print in lower case (<c>hlt</c>, <c>cpuid</c>, <c>pause</c>, <c>task_switch</c>, <c>wbinvd</c>…) are left out.</summary>
    public static FrozenSet<string> SvmOnly { get; } = new[]
    {
        "interrupt", "nmi", "smi", "init", "vintr", "cr0_sel_write", "iret", "io", "msr", "shutdown", "hypercall",
        "vmmcall", "vmrun", "vmload", "vmsave", "stgi", "clgi", "skinit", "icebp", "mwait_cond", "npf",
        "avic_incomplete_ipi", "avic_unaccelerated_access", "vmgexit", "buslock", "idle-halt", "invalid_guest_state",
        "read_tr", "write_tr", "read_idtr", "write_idtr", "read_gdtr", "write_gdtr", "read_ldtr", "write_ldtr", "pushf",
        "popf", "rsm", "efer_write_trap", "cr0_write_trap", "cr4_write_trap", "cr8_write_trap",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Guesses the vendor by majority: upper-case VMX names (or 2.6.3x lower-case VMX names such as <c>apic_access</c>)
    /// vote Intel; SVM names (<c>npf</c>, <c>read_cr0</c>, <c>PF excp</c>) vote AMD. Ambiguous names (<c>hlt</c>,
    /// <c>cpuid</c>) do not vote; a tie is null.
    /// </summary>
    public static Vendor? GuessVendor(IEnumerable<string> reasonNames)
    {
        int intel = 0, amd = 0;
        foreach (var name in reasonNames)
        {
            switch (Classify(name))
            {
                case Vendor.Intel: intel++; break;
                case Vendor.Amd: amd++; break;
            }
        }

        return intel > amd ? Vendor.Intel : amd > intel ? Vendor.Amd : null;
    }

    private static Vendor? Classify(string name)
    {
        if (Vmx.Contains(name))
        {
            return Vendor.Intel;
        }

        if (SvmOnly.Contains(name) || name.EndsWith(" excp", StringComparison.Ordinal) || IsSvmCrDrAccess(name))
        {
            return Vendor.Amd;
        }

        // 2.6.3x traces print VMX names in lower case; only the ones with an underscore are unambiguous.
        var upper = name.ToUpperInvariant();
        return name.Contains('_') && name == name.ToLowerInvariant() && Vmx.Contains(upper) ? Vendor.Intel : null;
    }

    private static bool IsSvmCrDrAccess(string name) =>
        (name.StartsWith("read_", StringComparison.Ordinal) || name.StartsWith("write_", StringComparison.Ordinal))
        && (name.Contains("_cr", StringComparison.Ordinal) || name.Contains("_dr", StringComparison.Ordinal));
}
