using System.Globalization;
using ExitSim.Model;
using ExitSim.Units;

namespace ExitSim.Scenarios;

/// <summary>
/// How much work a run is, estimated from the scenario before it is simulated: its simulated events.
/// Rates are upper bounds (no queueing, every wall-clock arrival an event, every operation as fast as
/// its compute allows, every arrival of an open workload counted even when it waits outside a full
/// VM), so the shipped scenarios come out at 1–3 times what they simulate. An open workload's backlog
/// needs no limit of its own: a full VM holds a bounded number of operations (Simulation/Application/Operations).
/// </summary>
public static class WorkEstimate
{
    /// <summary>Events per second of simulated time, over all VMs.</summary>
    public static double EventsPerSecond(Scenario s)
    {
        double ghz = s.Host.Ghz, guestRate = 0, guestBusy = 0, wallRate = 0;
        void Add(Occurrence o, double exitNs)
        {
            double rate = o.Rate ?? 1e9 / o.Interval!.Mean(ghz);
            if (o.Clock == OccurrenceClock.Wall) { wallRate += rate; return; }
            guestRate += rate;
            guestBusy += rate * exitNs / 1e9;
        }
        foreach (var e in s.Exits)
        {
            if (e.Occurrence is { } o) Add(o, ExitNs(s, e.Costs, new PhaseCosts(), ScenarioChecks.ResolvedPath(s, e)));
            foreach (var p in e.Paths) Add(p.Occurrence, ExitNs(s, e.Costs, p.Costs, p.Path));
        }
        if (s.Workload is not null && s.Memory is { TouchBytesPerSecond: > 0 } m) guestRate += m.TouchBytesPerSecond / s.Vm.PageSizeBytes;
        if (s.Vm.KernelSpin is { } spin) guestRate += spin.Rate;   // every spin-wait is an event, whether it exits or not
        if (s.Vm.TlbShootdowns is { } tsd) guestRate += tsd.Rate * (s.Vm.Vcpus + 1);   // its sends (one exit per target at worst) and its wait
        // λ exits per second of guest time, each taking the vCPU out of the guest for c: λ/(1 + λc) per second.
        // A userspace exit may be two events (its arrival at QEMU), a wall-clock cause or a tick is one plus its exits.
        double perVcpu = 2 * guestRate / (1 + guestBusy) + 2 * wallRate + 2 * s.Vm.TimerHz;
        double total = perVcpu * s.Vm.Vcpus * s.Vm.Count;
        if (s.Workload is { } w) total += s.Vm.Count * OperationsPerSecond(s, w) * EventsPerOperation(s, w);
        // Host contention: each quantum looks at every thread.
        int threads = s.Vm.Count * (s.Vm.Vcpus + (s.Vm.QemuThreads == QemuThreadMode.PerVm ? 1 : s.Vm.Vcpus));
        if (threads > s.Host.Cores) total += threads * 1e9 / s.Host.TimesliceNs;
        return total;
    }

    /// <summary>Events of the whole run: every replication's warm-up and measured window.</summary>
    public static double Events(Scenario s) =>
        EventsPerSecond(s) * (s.Run.Warmup.Value + s.Run.Duration.Value) / 1e9 * s.Run.Replications;

    /// <summary>
    /// Refuses a run past <see cref="ScenarioLimits"/> in one line. The scenario as written was checked when it
    /// was loaded (pointing at its run: section); this catches what overrides (--duration, --replications) do.
    /// </summary>
    public static void Check(Scenario s)
    {
        string file = s.SourcePath ?? "<scenario>";
        if (s.Run.Warmup.Value + s.Run.Duration.Value > ScenarioLimits.MaxTimeNs)
            throw new ScenarioException(file, 1, 1, $"warm-up plus duration is {Span(s.Run.Warmup.Value + s.Run.Duration.Value)} (at most 24h of simulated time per replication)");
        if (Problem(s) is var (_, message)) throw new ScenarioException(file, 1, 1, message);
    }

    /// <summary>What is wrong with the run's size, against <see cref="ScenarioLimits"/>, and the key to blame (run or workload); null when nothing.</summary>
    public static (string Key, string Message)? Problem(Scenario s)
    {
        var inv = CultureInfo.InvariantCulture;
        double events = Events(s);
        if (!(events <= ScenarioLimits.MaxEvents))
            return ("run", string.Format(inv,
                "this run would simulate about {0:0.0e0} events ({1:0.0e0} a second over {2} × {3} vCPUs, for {4} × {5} replications), over the limit of {6:0e0} (shorten run.duration or use fewer replications; see docs/scenario-limits.md)",
                events, EventsPerSecond(s), s.Vm.Count == 1 ? "1 VM" : $"{s.Vm.Count} VMs", s.Vm.Vcpus, Span(s.Run.Warmup.Value + s.Run.Duration.Value), s.Run.Replications, ScenarioLimits.MaxEvents));
        return null;
    }

    /// <summary>Simulated time as people say it, in hours past one.</summary>
    private static string Span(double ns) => ns >= 3600e9 ? (ns / 3600e9).ToString("0.##", CultureInfo.InvariantCulture) + "h" : UnitFormat.Time(ns);

    /// <summary>Operations per second one VM can complete at best: its vCPUs' compute and its devices' back ends.</summary>
    private static double Capacity(Scenario s, WorkloadSpec w)
    {
        double ghz = s.Host.Ghz, best = double.PositiveInfinity;
        double compute = w.Operation.Compute.Mean(ghz);
        if (compute > 0) best = s.Vm.Vcpus * 1e9 / compute;
        if (w.Operation.DiskIo > 0 && s.Devices.Disk is { Backend: { } disk } d && disk.Mean(ghz) > 0)
            best = Math.Min(best, d.Channels * 1e9 / (w.Operation.DiskIo * disk.Mean(ghz)));
        int packets = w.Operation.NetRx + w.Operation.NetTx;
        if (packets > 0 && s.Devices.Nic is { Backend: { } net } n && net.Mean(ghz) > 0)
            best = Math.Min(best, n.Channels * 1e9 / (packets * net.Mean(ghz)));
        return best;
    }

    /// <summary>Operations per second of one VM: the arrival rate, or each client's think-and-compute cycle at best.</summary>
    private static double OperationsPerSecond(Scenario s, WorkloadSpec w)
    {
        if (w.Kind == WorkloadKind.Open) return w.Rate;
        double cycle = (w.Think?.Mean(s.Host.Ghz) ?? 0) + w.Operation.Compute.Mean(s.Host.Ghz);
        double offered = cycle > 0 ? w.Clients * 1e9 / cycle : double.PositiveInfinity;
        return Math.Min(offered, Capacity(s, w));
    }

    /// <summary>An operation's arrival, segments and halt, plus per request or packet its register exits, device work and interrupt.</summary>
    private static double EventsPerOperation(Scenario s, WorkloadSpec w)
    {
        static double PerItem(DeviceSpec? d) => d is null ? 0 : DeviceModels.SubmitExits(d.Model) + DeviceModels.HandlerExits(d.Model) + 6;
        return 4 + w.Operation.DiskIo * PerItem(s.Devices.Disk) + (w.Operation.NetRx + w.Operation.NetTx) * PerItem(s.Devices.Nic);
    }

    /// <summary>Mean time of one exit out of the guest (save, handle, reenter, and emulate on the userspace path).</summary>
    private static double ExitNs(Scenario s, PhaseCosts reason, PhaseCosts path, ExitPath on)
    {
        double ghz = s.Host.Ghz;
        double Mean(Distributions.Distribution? d) => d?.Mean(ghz) ?? 0;
        return Mean(path.Save ?? reason.Save ?? s.Costs.Save) + Mean(path.Handle ?? reason.Handle ?? s.Costs.Handle) +
               Mean(path.Reenter ?? reason.Reenter ?? s.Costs.Reenter) +
               (on == ExitPath.Userspace ? Mean(path.Emulate ?? reason.Emulate ?? s.Costs.Emulate) : 0);
    }
}
