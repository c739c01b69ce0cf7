using ExitSim.Distributions;
using ExitSim.Scenarios;

namespace ExitSim.Simulation;

/// <summary>The workload layer compiled for the hot path: operations, devices, interrupt delivery and idling.</summary>
public sealed class WorkloadModel
{
    public required WorkloadKind Kind { get; init; }
    public required int ClientsPerVm { get; init; }
    /// <summary>Each finished operation wakes its client's next one on the next vCPU of the VM (<c>workload.ping_pong</c>).</summary>
    public bool PingPong { get; init; }
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
    /// <summary>The halt-polling window adapts per vCPU (KVM); false: every halt polls <see cref="HaltPollNs"/>.</summary>
    public required bool HaltPollAdaptive { get; init; }
    /// <summary>cpuidle-haltpoll's guest_halt_poll_ns: the guest polls up to this long before HLT (0: no guest polling).</summary>
    public double GuestHaltPollNs { get; init; }
    /// <summary>KVM_CAP_X86_DISABLE_EXITS_HLT: HLT does not exit, the vCPU halts in guest mode.</summary>
    public bool HltInGuest { get; init; }
    /// <summary>Interrupts to a running vCPU are posted: no EXTERNAL_INTERRUPT exit.</summary>
    public required bool PostedDelivery { get; init; }
    /// <summary>Intel APICv: posting goes through a posted-interrupt descriptor whose ON bit spares a second notification (AVIC has none).</summary>
    public bool PiDescriptor { get; init; }
    /// <summary>APICv/AVIC: the hardware injects pending interrupts, so no interrupt window exits.</summary>
    public required bool VirtualApic { get; init; }
    /// <summary>The guest uses KVM's PV EOI: an edge EOI needs no exit when its vector was alone in service and pending.</summary>
    public required bool PvEoi { get; init; }
    /// <summary>AVIC: the sender's ICR write exits only when the target is blocked.</summary>
    public required bool IcrOnlyToBlocked { get; init; }
    public required int SiteExternalInterrupt { get; init; }
    public required int SiteInterruptWindow { get; init; }
    /// <summary>EOI of an edge-triggered vector, of a level-triggered one, and the ICR write of an IPI: sites, or -1 for no exit (see <see cref="Model.ApicExits"/>).</summary>
    public required int SiteEoiEdge { get; init; }
    public required int SiteEoiLevel { get; init; }
    public int SiteIcr => Icr.Notify;
    /// <summary>The ICR write's sites by the target's state at delivery (<see cref="Interrupts.IcrSites"/>).</summary>
    public required Interrupts.IcrSites Icr { get; init; }
    public required int SiteHalt { get; init; }
    /// <summary>The tick's TSC_DEADLINE re-arm, written again when the idle loop stops and restarts the tick (NO_HZ idle); -1 without a tick.</summary>
    public int SiteTickRearm { get; init; } = -1;
    /// <summary>The guest runs a DPDK poll-mode driver on its NIC: received packets are found by polling (no interrupt) and no vCPU ever halts.</summary>
    public bool PollModeGuest { get; init; }
}
