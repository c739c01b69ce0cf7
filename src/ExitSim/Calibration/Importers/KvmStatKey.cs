using System.Text.RegularExpressions;

using ExitSim.Model;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// What a kvm_stat key counts: an exit reason (<c>kvm_exit(HLT)</c>, or a debugfs counter with a reason equivalent such as
/// <c>io_exits</c>), all exits (<c>kvm_exit</c>, <c>exits</c>), or some other event kept as a counter.
/// </summary>
internal sealed partial record KvmStatKey(string Name, string? Reason, ExitPath? Path, bool IsExitTotal)
{
    public static KvmStatKey Classify(string name)
    {
        if (ExitChild().Match(name) is { Success: true } child)
        {
            return new KvmStatKey(name, child.Groups[1].Value, null, false);
        }

        return name switch
        {
            "kvm_exit" or "exits" => new KvmStatKey(name, null, null, true),
            // debugfs vCPU counters (struct kvm_vcpu_stat, arch/x86/include/asm/kvm_host.h); io_exits counts every PIO exit (vmx handle_io),
            // mmio_exits only the ones forwarded to the VMM as KVM_EXIT_MMIO.
            "io_exits" => new KvmStatKey(name, "IO_INSTRUCTION", null, false),
            "halt_exits" => new KvmStatKey(name, "HLT", null, false),
            "irq_exits" => new KvmStatKey(name, "EXTERNAL_INTERRUPT", null, false),
            "mmio_exits" => new KvmStatKey(name, "EPT_MISCONFIG", ExitPath.Userspace, false),
            "irq_window_exits" or "irq_window" => new KvmStatKey(name, "INTERRUPT_WINDOW", null, false),
            "nmi_window_exits" => new KvmStatKey(name, "NMI_WINDOW", null, false),
            _ => new KvmStatKey(name, null, null, false),
        };
    }

    /// <summary>Keys kvm_stat prints (tracepoints, their children, debugfs counters): used to score batch rows, whose shape alone is too common.</summary>
    public static bool LooksLikeKvmStatKey(string name) =>
        name.StartsWith("kvm_", StringComparison.Ordinal) || name.Contains('(') || name.EndsWith("_exits", StringComparison.Ordinal)
        || name is "exits" or "halt_wakeup" or "host_state_reload" or "fpu_reload" or "insn_emulation" or "pf_fixed"
            or "halt_successful_poll" or "halt_attempted_poll" or "irq_injections" or "hypercalls" or "tlb_flush";

    /// <summary>Adds a row for this key to a measurement: reason row, counter, or both for the exit total.</summary>
    public void AddTo(MeasurementBuilder report, long count, double? ratePerSecond, int line)
    {
        if (Reason is not null)
        {
            if (Name.StartsWith("kvm_exit(", StringComparison.Ordinal))
            {
                report.VendorEvidence.Add(Reason); // printed by the kernel; the debugfs mappings are ExitSim's
            }

            report.Reasons.Add(new ReasonMeasurement
            {
                Name = Reason,
                SourceName = Name,
                Count = count,
                RatePerSecond = ratePerSecond,
                SourceLine = line,
                Path = Path,
            });
            return;
        }

        report.Counters.Add(new CounterMeasurement { Name = Name, Count = count, RatePerSecond = ratePerSecond, SourceLine = line });
        if (IsExitTotal)
        {
            report.TotalSamples = count;
        }
    }

    [GeneratedRegex(@"^kvm_exit\((.+)\)$")]
    private static partial Regex ExitChild();
}
