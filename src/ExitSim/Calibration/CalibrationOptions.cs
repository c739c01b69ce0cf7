using ExitSim.Units;

namespace ExitSim.Calibration;

/// <summary>What calibration needs beyond the measurements themselves.</summary>
public sealed record CalibrationOptions
{
    public required string Name { get; init; }
    /// <summary>Recording window, for formats that do not state it (perf kvm stat report/live, kvm_stat TUI).</summary>
    public double? IntervalSeconds { get; init; }
    /// <summary>vCPUs of the measured VM (the tools count exits of all vCPUs together).</summary>
    public int? Vcpus { get; init; }
    /// <summary>Host clock; null means assumed 2.0 GHz.</summary>
    public double? Ghz { get; init; }
    /// <summary>cv assumed where a source gives a mean but no spread.</summary>
    public double AssumedCv { get; init; } = 1.0;
    /// <summary>
    /// The hardware exit and entry halves, which tracepoint-based tools do not see (kvm_exit fires after the exit and
    /// kvm_entry before the entry, arch/x86/kvm/vmx/vmx.c). Default: 300 cycles each, an assumed half of a hardware exit
    /// plus entry, ≈500 cycles or below from Nehalem on (Agesen et al., USENIX ATC 2012).
    /// </summary>
    public Quantity Save { get; init; } = Quantity.Cycles(300);
    public Quantity Reenter { get; init; } = Quantity.Cycles(300);
}
