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
}

/// <summary>One device of a VM (its queues are built per VM by the replication).</summary>
public sealed class DeviceModel
{
    public required DeviceModelKind Kind { get; init; }
    public required bool Virtio { get; init; }
    public required int Queues { get; init; }
    public required int Depth { get; init; }
    public required bool Vhost { get; init; }
    /// <summary>Front-end time per request or packet (QEMU or vhost); unused for emulated disks, whose work is in their exits.</summary>
    public required Sampler Frontend;
    public required Sampler Backend;
    /// <summary>Whether requests go through <see cref="Backend"/> (always for a disk; for a NIC only when one is given).</summary>
    public required bool HasBackend { get; init; }
    public required int Channels { get; init; }
    public required int SubmitExits { get; init; }
    public required int HandlerExits { get; init; }
    /// <summary>Register accesses of an emulated model (userspace), or the notify of a virtio one (kernel, ioeventfd).</summary>
    public required int SiteRegister { get; init; }
    public required int SiteNotify { get; init; }
}
