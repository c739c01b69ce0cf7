namespace ExitSim.Simulation.Devices;

/// <summary>
/// What serves a device's requests on the host: the storage behind a disk, the host's network path behind a NIC.
/// FCFS with <c>channels</c> parallel servers: each request takes the earliest free one, which is exact FCFS M/G/c
/// for arrivals in time order.
/// </summary>
internal sealed class Backend(int channels)
{
    private readonly double[] _freeAt = new double[channels];

    /// <summary>Takes the earliest free server from <paramref name="t"/> for <paramref name="service"/>; returns when it is done.</summary>
    public double Occupy(double service, double t)
    {
        var free = _freeAt;
        int server = 0;
        for (int i = 1; i < free.Length; i++)
            if (free[i] < free[server]) server = i;
        double done = Math.Max(t, free[server]) + service;
        free[server] = done;
        return done;
    }
}
