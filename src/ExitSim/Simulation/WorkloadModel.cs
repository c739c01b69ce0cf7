using ExitSim.Distributions;
using ExitSim.Scenarios;

namespace ExitSim.Simulation;

/// <summary>The workload layer compiled for the hot path: operations, devices, interrupt delivery and idling.</summary>
public sealed class WorkloadModel
{
    public required WorkloadKind Kind { get; init; }
    public required int ClientsPerVm { get; init; }
    public required bool HasThink { get; init; }
    public required Sampler Think;
    /// <summary>Open workload: mean time between arrivals per VM.</summary>
    public required double InterArrivalNs { get; init; }
    public required Sampler Compute;
    /// <summary>Guest compute multiplier from two-dimensional page walks at the VM's page size.</summary>
    public required double TlbFactor { get; init; }
    public required int DiskIoWhole { get; init; }
    public required double DiskIoFraction { get; init; }
    public required int NetRx { get; init; }
    public required int NetTx { get; init; }
    public DeviceModel? Disk { get; init; }
    public DeviceModel? Nic { get; init; }
    public required Sampler Handler;
    public required Sampler Wake;
    public required double Masked { get; init; }
    public required double HaltPollNs { get; init; }
    /// <summary>Interrupts to a running vCPU are posted: no EXTERNAL_INTERRUPT exit.</summary>
    public required bool PostedDelivery { get; init; }
    /// <summary>APICv/AVIC: EOIs and interrupt windows need no exit.</summary>
    public required bool VirtualApic { get; init; }
    public required int SiteExternalInterrupt { get; init; }
    public required int SiteInterruptWindow { get; init; }
    public required int SiteApicWrite { get; init; }
    public required int SiteHalt { get; init; }
    /// <summary>The tick's TSC_DEADLINE re-arm, written again when the idle loop stops and restarts the tick (NO_HZ idle); -1 without a tick.</summary>
    public int SiteTickRearm { get; init; } = -1;
}
