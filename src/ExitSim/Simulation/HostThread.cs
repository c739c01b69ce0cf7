namespace ExitSim.Simulation;

/// <summary>
/// A host thread that serves work FIFO: a VM's QEMU main loop (userspace exits, emulated and virtio
/// device work) or a vhost worker. Because work reaches it in time order, FIFO waiting follows from
/// Lindley's recursion (start = max(arrival, busy-until)) without queue storage or departure events;
/// the vCPUs waiting are the queue.
/// </summary>
internal sealed class HostThread
{
    public double BusyUntil;
    /// <summary>Busy time inside the measurement window.</summary>
    public double Busy;
    public long Served;
    public double WaitSum;
    /// <summary>vCPUs and device queues it serves; with one vCPU and nothing else nobody can queue behind it.</summary>
    public int Clients;
    // Host scheduler: the quantum in which the thread holds a core, and until when it waits for one.
    public long RunQuantum = -1;
    /// <summary>Position among the host scheduler's threads (after the vCPUs).</summary>
    public int SchedulerId;
    public double StolenUntil;
}
