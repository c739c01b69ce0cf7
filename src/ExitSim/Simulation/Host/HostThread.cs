using ExitSim.Randomness;
using ExitSim.Simulation.Devices;

namespace ExitSim.Simulation.Host;

/// <summary>
/// A host thread that serves work FIFO: a VM's QEMU main loop (userspace exits, emulated and virtio
/// device work) or a vhost worker. Because work reaches it in time order, FIFO waiting follows from
/// Lindley's recursion (start = max(arrival, busy-until)) without queue storage or departure events;
/// the vCPUs waiting are the queue.
/// </summary>
internal sealed class HostThread(MeasurementWindow window)
{
    private HostScheduler? _scheduler;
    private WakeUp? _wakeUp;
    private RandomStream? _wakeRng;

    public double BusyUntil { get; private set; }
    /// <summary>Busy time inside the measurement window.</summary>
    public double Busy { get; private set; }
    /// <summary>Userspace exits served in the window, and their total wait for the thread.</summary>
    public long Served { get; private set; }
    public double WaitSum { get; private set; }
    /// <summary>vCPUs and device queues it serves; with one vCPU and nothing else nobody can queue behind it.</summary>
    public int Clients { get; private set; }
    /// <summary>Position among the host scheduler's threads (after the vCPUs).</summary>
    public int SchedulerId { get; private set; }
    public CoreState Core = new();
    /// <summary>An IOThread's adaptive polling, or null for a thread that blocks as soon as it has nothing to do.</summary>
    public AioPoll? Poll { get; init; }

    /// <summary>Whether work added at <paramref name="t"/> is found without a notify: the thread is busy or polling.</summary>
    public bool Polls(double t) => Poll is { } p && p.Finds(t, BusyUntil);

    public void AddClient() => Clients++;

    /// <summary>Threads outnumber the host's cores: work waits for a core too, and the thread gives it up when idle.</summary>
    public void Contend(HostScheduler scheduler, int schedulerId)
    {
        _scheduler = scheduler;
        SchedulerId = schedulerId;
    }

    /// <summary>A kick to the thread asleep pays a wake-up (the workload layer gives it one).</summary>
    public void WakesUp(WakeUp wakeUp, RandomStream rng)
    {
        _wakeUp = wakeUp;
        _wakeRng = rng;
    }

    /// <summary>
    /// When a job arriving at <paramref name="arrival"/> starts (Lindley, plus the wait for a core). A job that
    /// <paramref name="kicks"/> the thread (an eventfd: ioeventfd, a tap packet) finding it asleep waits for its wake-up,
    /// unless the thread was still polling (<see cref="Poll"/>): then it was not asleep, and its core stayed busy.
    /// </summary>
    public double Start(double arrival, bool kicks = false)
    {
        bool asleep = BusyUntil <= arrival;
        bool idleCore = _scheduler is null || (asleep && _scheduler.Claim(ref Core, arrival));
        double ready = arrival;
        if (kicks && asleep && (Poll is null || !Poll.Found(BusyUntil, arrival, window)))
        {
            double slept = arrival - BusyUntil - (Poll?.Ns ?? 0);
            if (_wakeUp is not null) ready = arrival + _wakeUp.Latency(_wakeRng!, slept, idleCore);
            Poll?.Blocked(BusyUntil, ready, window);
        }
        return _scheduler is null ? Math.Max(ready, BusyUntil) : Math.Max(Math.Max(ready, BusyUntil), Core.StolenUntil);
    }

    /// <summary>Runs a job from <paramref name="start"/> to <paramref name="end"/>; if it has nothing more then, it gives up its core.</summary>
    public void Run(double start, double end)
    {
        BusyUntil = end;
        Busy += window.Clip(start, end);
        _scheduler?.AfterJob(this, end);
    }

    /// <summary>A userspace exit that counts (it started in the window) waited <paramref name="wait"/> for the thread.</summary>
    public void CountServed(double wait)
    {
        Served++;
        WaitSum += wait;
    }
}
