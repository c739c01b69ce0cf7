using ExitSim.Simulation.Idle;

namespace ExitSim.Simulation.Devices;

/// <summary>
/// An IOThread's adaptive polling (QEMU util/aio-posix.c aio_poll, try_poll_mode, adjust_polling_time): when it runs out
/// of work it polls its virtqueues for up to <see cref="Ns"/> before blocking in ppoll/epoll, with the guest's
/// notifications off while it polls (hw/virtio/virtio.c virtio_queue_host_notifier_aio_poll_begin →
/// virtio_queue_set_notification(vq, 0)). Work the guest adds meanwhile is found without a notify (no ioeventfd exit)
/// and without a wake-up, at the price of the host CPU spent polling. After each wait (<c>block_ns</c>, from entering
/// aio_poll to the event) the window adapts as KVM's halt-poll window does, with QEMU's constants: kept if the event
/// came within it, reset to 0 after a wait longer than <c>poll-max-ns</c> (<c>poll-shrink</c> 0), otherwise doubled
/// (<c>poll-grow</c> 0 means 2), starting at 4 µs. QEMU 8.x keeps one window per AioContext, as here.
/// </summary>
internal sealed class AioPoll(double maxNs)
{
    private readonly HaltPollWindow _rule = new(maxNs, Grow: 2, GrowStartNs: 4_000, Shrink: 0);

    /// <summary>The current polling window (<c>ctx->poll_ns</c>), 0 when the IOThread starts.</summary>
    public double Ns { get; private set; }
    /// <summary>Host CPU spent polling inside the measurement window.</summary>
    public double PollTime { get; private set; }
    /// <summary>Waits that polling ended (work found while polling), in the window.</summary>
    public long Hits { get; private set; }

    /// <summary>Whether work arriving at <paramref name="t"/> is found by polling: the thread is still busy or polls.</summary>
    public bool Finds(double t, double busyUntil) => Ns > 0 && t < busyUntil + Ns;

    /// <summary>Work arriving at <paramref name="arrival"/> to the thread idle since <paramref name="idleFrom"/>: true when polling finds it.</summary>
    public bool Found(double idleFrom, double arrival, MeasurementWindow window)
    {
        if (!(arrival - idleFrom < Ns)) return false;
        PollTime += window.Clip(idleFrom, arrival);
        if (window.Counts(arrival)) Hits++;
        return true;   // block_ns ≤ poll_ns: the sweet spot, the window stays
    }

    /// <summary>Polling missed: the thread polled its whole window, blocked, and runs again at <paramref name="ready"/>.</summary>
    public void Blocked(double idleFrom, double ready, MeasurementWindow window)
    {
        PollTime += window.Clip(idleFrom, idleFrom + Ns);
        Ns = _rule.After(Ns, ready - idleFrom);
    }
}
