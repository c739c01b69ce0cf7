namespace ExitSim.Simulation;

/// <summary>
/// A VM's QEMU main-loop thread: a FIFO single server for userspace exits. Because arrivals reach
/// it in time order, FIFO waiting follows from Lindley's recursion (start = max(arrival, busy-until))
/// without queue storage or departure events; the vCPUs waiting are the queue.
/// </summary>
internal sealed class QemuThread
{
    public double BusyUntil;
    /// <summary>Busy time inside the measurement window.</summary>
    public double Busy;
    public long Served;
    public double WaitSum;
    public int Clients;
}
