namespace ExitSim.Model;

/// <summary>
/// The exit reasons the workload mechanisms produce, by vendor. Intel names are the VMX basic exit
/// reasons; AMD gets the SVM exit with the same role (its catalog analogue), e.g. a virtio MMIO
/// notify is EPT_MISCONFIG on Intel and an 'npf' on AMD (docs/kvm-facts.md §2.1, §2.2).
/// </summary>
public static class MechanismReasons
{
    public static string For(Vendor vendor, string intelName)
    {
        if (vendor == Vendor.Intel) return intelName;
        return intelName switch
        {
            "EPT_MISCONFIG" or "EPT_VIOLATION" or "APIC_ACCESS" => "npf",
            _ => ExitReasonCatalog.Svm.First(r => r.Analogue == intelName).Name,
        };
    }

    public const string ExternalInterrupt = "EXTERNAL_INTERRUPT";
    public const string InterruptWindow = "INTERRUPT_WINDOW";
    public const string Halt = "HLT";
    public const string PageFault = "EPT_VIOLATION";
    /// <summary>Pause-loop exiting (VMX) and the pause filter (SVM 'pause').</summary>
    public const string Pause = "PAUSE_INSTRUCTION";

    /// <summary>EOI and IPI (ICR) writes: an MSR write in x2APIC mode, an APIC-page access in xAPIC mode.</summary>
    public static string ApicWrite(Scenarios.ApicMode mode) => mode == Scenarios.ApicMode.X2apic ? "MSR_WRITE" : "APIC_ACCESS";
}
