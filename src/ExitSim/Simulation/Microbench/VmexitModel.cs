using ExitSim.Distributions;
using ExitSim.Scenarios;

namespace ExitSim.Simulation.Microbench;

/// <summary>A <c>vmexit:</c> microbenchmark compiled for the hot path: its guest times and the exit sites its iteration uses (-1: none).</summary>
public sealed class VmexitModel
{
    public required VmexitTest Test { get; init; }
    public required Sampler Loop;
    public required Sampler Handler;
    public required Sampler Delivery;
    public required Sampler Ack;
    public required double DeadlineNs { get; init; }
    /// <summary>cpuid, vmcall: the test's own exit.</summary>
    public required int SiteTest { get; init; }
    /// <summary>ipi: the sender's ICR write, or -1 when the hardware sends the IPI (IPIv).</summary>
    public required int SiteIcr { get; init; }
    /// <summary>The handler's EOI, or -1 when it is virtualised (APICv/AVIC).</summary>
    public required int SiteEoi { get; init; }
    /// <summary>ipi without posted interrupts: the target's EXTERNAL_INTERRUPT exit; -1 when the interrupt is posted.</summary>
    public required int SiteExternalInterrupt { get; init; }
    /// <summary>tscdeadline*: the TSC_DEADLINE write, and the timer's expiry exit (PREEMPTION_TIMER; AMD: the host hrtimer's 'interrupt').</summary>
    public required int SiteArm { get; init; }
    public required int SiteFire { get; init; }
    /// <summary>A deadline that falls due while the vCPU is out of the guest still exits right after entry (Intel's preemption timer armed with 0).</summary>
    public required bool FiresAtEntry { get; init; }
}
