using ExitSim.Randomness;

namespace ExitSim.Simulation;

/// <summary>
/// One queue of a VM's device: the guest's requests, the front end that processes them (QEMU or a vhost
/// worker), and the notification state. A virtio front end processing its ring has notifications
/// disabled, so requests added meanwhile need no notify: kicks per request fall as the queue gets busier.
/// </summary>
internal sealed class DeviceQueue
{
    public const int DiskItem = 0, RxItem = 1, TxItem = 2;

    public required int Id { get; init; }
    public required DeviceModel Device { get; init; }
    public required bool IsDisk { get; init; }
    public required HostThread Thread { get; init; }
    public required IrqSource Irq { get; init; }
    public required RandomStream Rng { get; init; }
    public required Backend? Backend { get; init; }
    /// <summary>Work the front end has not taken yet, as op * 4 + item kind.</summary>
    public readonly IntRing Work = new();
    public bool Processing;
    /// <summary>Notifications enabled: the next request added must kick.</summary>
    public bool NotifyArmed = true;
    /// <summary>Requests submitted and not yet completed by the guest's handler (device tags in use).</summary>
    public int Outstanding;
    /// <summary>Requests waiting in the guest's block layer for a free tag.</summary>
    public readonly IntRing Blocked = new();
}

/// <summary>Host storage: FCFS with <c>channels</c> parallel servers (M/G/c by earliest-free server, which is FCFS for arrivals in time order).</summary>
internal sealed class Backend(int channels)
{
    public readonly double[] FreeAt = new double[channels];
}
