namespace ExitSim.Simulation;

/// <summary>
/// Something that interrupts one vCPU: a device queue's completion vector, the vCPU's reschedule IPI,
/// or its local timer. While raised (pending, or its handler running) further work is only added to
/// <see cref="Items"/>, which the handler drains at its end: virtio's used-buffer notification
/// suppression and an emulated device's level interrupt coalesce the same way.
/// </summary>
internal sealed class IrqSource
{
    public const int DiskCompletion = 0, NetReceive = 1, Reschedule = 2, LocalTimer = 3;

    public required int Id { get; init; }
    public required int Kind { get; init; }
    public required int Vcpu { get; init; }
    /// <summary>The device queue behind it, or -1.</summary>
    public int Queue = -1;
    public bool Raised;
    /// <summary>An IPI whose sender's ICR write has not been handled yet.</summary>
    public bool Sending;
    /// <summary>Operations whose completion or wake-up the handler delivers.</summary>
    public readonly IntRing Items = new();
}
