using ExitSim.Statistics;
using ExitSim.Simulation.Idle;

namespace ExitSim.Simulation;

/// <summary>What a replication reports when its window closes: the exits still in progress, every vCPU's time, the host's cores and each mechanism's counters.</summary>
public sealed partial class Replication
{
    private ReplicationResult Finish()
    {
        var total = new TimeAccount();
        foreach (var v in _vcpus)
        {
            ref var x = ref v.Exit;
            if (v.Idle.Halted)
            {
                Idle!.AccountHalt(v, _window.End);
                _stats.Unfinished(new ExitRecord(v.Index, _sites[x.Site].Reason, x.Start, x.Save, x.Handle, 0, 0, 0, _window.End - x.Handled, x.Site));
            }
            else if (v.Idle.InGuest != GuestIdleKind.None) Idle!.Guest.Close(v, _window.End);
            else if (v.Suspended)   // on its way to the QEMU thread, or to blocking
                _stats.Unfinished(new ExitRecord(v.Index, _sites[x.Site].Reason, x.Start, x.Save, x.Handle, 0, 0, 0, Site: x.Site));
            if (v.ResumeAt < _window.End) v.Time.Guest += _window.Clip(v.ResumeAt, _window.End);
            total.Add(v.Time);
        }
        double window = _window.Length;
        return new ReplicationResult
        {
            Host = Host.CoreTime(total),
            Replication = _replication,
            WindowNs = window,
            Reasons = _stats.Reasons,
            Time = total,
            VcpuTime = _vcpus.Select(v => v.Time).ToArray(),
            QemuUtilisation = _qemus.Select(q => q.Busy / window).ToArray(),
            QemuServed = _qemus.Sum(q => q.Served),
            QemuWaitNs = _qemus.Sum(q => q.WaitSum),
            Timeline = _stats.Timeline,
            TimelineBinNs = _stats.TimelineBinNs,
            Events = _events,
            Workload = Ops is null ? Bench?.Result(window) : WorkloadResult(window),
            TlbShootdowns = Shootdowns?.Stats,
            KernelLock = Ple?.Lock?.Stats,
        };
    }

    private WorkloadResult WorkloadResult(double window)
    {
        long inFlight = Ops!.CloseWindow();
        return new WorkloadResult
        {
            OperationsInFlightAtEnd = inFlight,
            OperationsCompleted = Ops.Completed,
            OperationLatency = Ops.Latency,
            OperationLatencySum = Ops.LatencySum,
            StorageLatency = Io!.StorageLatency,
            WakeLatency = Idle!.WakeLatency,
            DiskRequests = Io.DiskRequests,
            Notifies = Io.Notifies,
            Interrupts = Interrupts!.Raised,
            PostedInterrupts = Interrupts.Posted,
            SuppressedNotifications = Interrupts.Suppressed,
            Wakes = Idle.Wakes,
            PolledWakes = Idle.PolledWakes,
            HaltPoll = Idle.Stats,
            // A polling back end burns its core whether or not there are packets.
            VhostUtilisation = [.. Io.VhostThreads.Select(x => x.Busy / window), .. Io.PmdThreads.Select(_ => 1.0)],
            IothreadUtilisation = Io.IoThreads.Select(x => x.Busy / window).ToArray(),
            IothreadPolling = Io.IoThreads.Select(x => (x.Poll?.PollTime ?? 0) / window).ToArray(),
            PolledAdds = Io.PolledAdds,
        };
    }
}
