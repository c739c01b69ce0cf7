using ExitSim.Distributions;
using ExitSim.Scenarios;

namespace ExitSim.Simulation;

/// <summary>One device of a VM (each replication builds its queues per VM: <see cref="Devices.IoPath"/>).</summary>
public sealed class DeviceModel
{
    public required DeviceModelKind Kind { get; init; }
    public required bool Virtio { get; init; }
    /// <summary>Assigned through VFIO: the guest drives the hardware, which DMAs into guest memory (no front end, no exits per request).</summary>
    public bool Passthrough { get; init; }
    /// <summary>
    /// Its interrupt is a host IRQ first (VFIO without IOMMU posting): vfio_msihandler signals the eventfd, KVM's irqfd injects it,
    /// and a vCPU running in the guest on the IRQ's core exits as EXTERNAL_INTERRUPT even when APICv could post it.
    /// </summary>
    public bool HostIrqExits { get; init; }
    /// <summary>Passed through and its MSI-X posted by the IOMMU (VT-d PI, which honours PI.SN; AVIC's IOMMU mode).</summary>
    public bool IommuPosts { get; init; }
    public required int Queues { get; init; }
    public required int Depth { get; init; }
    /// <summary>Who drains its queues: the VM's QEMU thread, vhost workers, IOThreads, or a vhost-user daemon.</summary>
    public required Dataplane Dataplane { get; init; }
    /// <summary>IOThreads serving its queues round-robin (iothread-vq-mapping); 1 = one <c>iothread=</c>.</summary>
    public required int Iothreads { get; init; }
    /// <summary>Adaptive polling maximum of its IOThreads or vhost-user daemon (poll-max-ns; 0 = they block at once).</summary>
    public required double PollMaxNs { get; init; }
    /// <summary>The disk's block AIO engine: completions pass its front-end thread (<see cref="Complete"/> each), threads also a pool worker.</summary>
    public required AioEngine Aio { get; init; }
    public required Sampler Complete;
    /// <summary>Front-end time per request or packet (QEMU, IOThread or vhost); unused for emulated disks, whose work is in their exits.</summary>
    public required Sampler Frontend;
    public required Sampler Backend;
    /// <summary>Whether requests go through <see cref="Backend"/> (always for a disk; for a NIC only when one is given).</summary>
    public required bool HasBackend { get; init; }
    public required int Channels { get; init; }
    public required int SubmitExits { get; init; }
    public required int HandlerExits { get; init; }
    /// <summary>Writes to coalesced MMIO in one handler, each an exit KVM handles (<see cref="SiteCoalesced"/>).</summary>
    public required int CoalescedHandlerWrites { get; init; }
    /// <summary>Interrupt mitigation: least time between two interrupts the device raises (0 = none).</summary>
    public required double MitigationNs { get; init; }
    /// <summary>Its interrupt is a level-triggered IOAPIC pin (INTx), whose EOI KVM must see.</summary>
    public required bool LevelTriggered { get; init; }
    /// <summary>Register accesses of an emulated model (userspace), or the notify of a virtio one (kernel, ioeventfd).</summary>
    public required int SiteRegister { get; init; }
    public required int SiteNotify { get; init; }
    /// <summary>A write to a coalesced MMIO register (kernel, no userspace exit); -1 if the model has none.</summary>
    public required int SiteCoalesced { get; init; }
}
