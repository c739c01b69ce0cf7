namespace ExitSim.Simulation.Devices;

/// <summary>
/// What serves a device's requests on the host: the storage behind a disk, the host's network path behind a NIC.
/// FCFS with <c>channels</c> parallel servers: each request takes the earliest free one, which is exact FCFS M/G/c
/// for arrivals in time order. The servers are interchangeable, so only when each is free matters: those times
/// are kept as a min-heap, and a request takes the root.
/// </summary>
internal sealed class Backend(int channels)
{
    private readonly double[] _freeAt = new double[channels];

    /// <summary>
    /// Takes the earliest free server from <paramref name="t"/> for <paramref name="service"/>; returns when it is done. A server
    /// found idle first takes <paramref name="wakeIfIdle"/> to start (a sleeping thread-pool worker); a busy one takes the
    /// request as soon as it finishes its own, without sleeping.
    /// </summary>
    public double Occupy(double service, double t, double wakeIfIdle = 0)
    {
        var heap = _freeAt;
        double done = (heap[0] <= t ? t + wakeIfIdle : heap[0]) + service;
        // The server is free again at done, no earlier than it was: it sinks from the root.
        int i = 0, n = heap.Length;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && heap[child + 1] < heap[child]) child++;
            if (!(heap[child] < done)) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = done;
        return done;
    }
}
