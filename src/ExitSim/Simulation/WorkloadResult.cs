using ExitSim.Statistics;

namespace ExitSim.Simulation;

/// <summary>What the workload layer measured in one replication's window (all VMs together).</summary>
public sealed class WorkloadResult
{
    public required long OperationsCompleted { get; init; }
    /// <summary>Operations that had arrived but not finished when the window closed.</summary>
    public required long OperationsInFlightAtEnd { get; init; }
    /// <summary>
    /// From a request's arrival to its reply being handed to the NIC (or its end inside the guest), for the
    /// operations finished in the window, plus those still in flight at its end with their age so far.
    /// </summary>
    public required LogHistogram OperationLatency { get; init; }
    /// <summary>Sum of the latencies of the operations finished in the window (ns), for the exact mean (Little's law).</summary>
    public required double OperationLatencySum { get; init; }
    /// <summary>From the guest issuing a disk request to its completion handler (queueing in the guest included).</summary>
    public required LogHistogram StorageLatency { get; init; }
    /// <summary>From the interrupt that wakes a halted vCPU to the guest running again.</summary>
    public required LogHistogram WakeLatency { get; init; }
    public required long DiskRequests { get; init; }
    /// <summary>virtio notifies (kicks) the guest sent.</summary>
    public required long Notifies { get; init; }
    /// <summary>Interrupts raised (device completions, packets, IPIs, wake-ups), coalesced ones not counted.</summary>
    public required long Interrupts { get; init; }
    public required long PostedInterrupts { get; init; }
    /// <summary>IOMMU-posted interrupts that found their vCPU preempted: PI.SN set, no notification (taken at its next entry).</summary>
    public long SuppressedNotifications { get; init; }
    public required long Wakes { get; init; }
    /// <summary>Wakes caught by halt polling (no trip through the scheduler).</summary>
    public required long PolledWakes { get; init; }
    public required HaltPollStats HaltPoll { get; init; }
    public required double[] VhostUtilisation { get; init; }
    public required double[] IothreadUtilisation { get; init; }
    /// <summary>Share of the window each IOThread (or vhost-user daemon) spent polling for work.</summary>
    public required double[] IothreadPolling { get; init; }
    /// <summary>Work the guest added that a polling IOThread found without a notify.</summary>
    public required long PolledAdds { get; init; }
}
