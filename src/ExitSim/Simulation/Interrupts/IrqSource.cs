using ExitSim.Simulation.Devices;

namespace ExitSim.Simulation.Interrupts;

/// <summary>
/// Something that interrupts one vCPU: a device queue's completion vector, the vCPU's reschedule IPI,
/// or its local timer. While raised (pending, or its handler running) further work is only added to
/// <see cref="Items"/>, which the handler drains at its end: virtio's used-buffer notification
/// suppression and an emulated device's level interrupt coalesce the same way.
/// </summary>
internal sealed class IrqSource(int id, IrqKind kind, int vcpu, DeviceQueue? queue = null)
{
    public int Id { get; } = id;
    public IrqKind Kind { get; } = kind;
    /// <summary>The vCPU it interrupts.</summary>
    public int Vcpu { get; } = vcpu;
    /// <summary>The device queue behind it, or null.</summary>
    public DeviceQueue? Queue { get; } = queue;
    /// <summary>A level-triggered IOAPIC pin (an emulated e1000's INTx): its EOI must reach KVM's IOAPIC.</summary>
    public bool Level { get; } = queue is not null && queue.Device.LevelTriggered;
    public bool Raised;
    /// <summary>Interrupt mitigation (e1000): no new interrupt before this time; work arriving earlier waits for the timer.</summary>
    public double MitigatedUntil;
    /// <summary>The mitigation timer is set to raise what arrived during the hold-off.</summary>
    public bool TimerArmed;
    /// <summary>An IPI whose sender's ICR write has not been handled yet.</summary>
    public bool Sending;
    /// <summary>Operations whose completion or wake-up the handler delivers.</summary>
    public readonly IntRing Items = new();
}

internal enum IrqKind { DiskCompletion, NetReceive, Reschedule, LocalTimer }
