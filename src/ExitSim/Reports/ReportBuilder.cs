using ExitSim.Model;
using ExitSim.Running;
using ExitSim.Simulation;
using ExitSim.Statistics;

namespace ExitSim.Reports;

/// <summary>Turns the replications of a run into a <see cref="RunReport"/>.</summary>
public static class ReportBuilder
{
    /// <summary>QEMU threads busier than this are reported as saturated.</summary>
    public const double SaturationThreshold = 0.98;

    public static RunReport Build(RunResult run)
    {
        var s = run.Scenario;
        var m = run.Model;
        var reps = run.Replications;
        double windowS = m.DurationNs / 1e9;
        int vms = m.VmCount;

        var pooled = m.Reasons.Select(_ => new ExitAccumulator()).ToArray();
        foreach (var r in reps)
            for (int i = 0; i < pooled.Length; i++) pooled[i].Add(r.Reasons[i]);
        long total = pooled.Sum(a => a.Count);
        double totalTime = pooled.Sum(a => a.LatencySum);
        double totalPerf = pooled.Sum(a => a.PerfSum);

        var rows = m.Reasons.Select((reason, i) =>
        {
            var a = pooled[i];
            double mean = a.Mean;
            double cv = a.Count > 1 ? a.StdDev / mean : 0;
            return new ReasonRow
            {
                Name = reason.Name,
                // Where its exits went: a reason can take both paths (EPT_MISCONFIG to QEMU for an emulated
                // register, to an ioeventfd in the kernel for a virtio notify).
                Path = a.Count == 0 ? (reason.Path == ExitPath.Kernel ? "kernel" : "userspace")
                    : a.Userspace == 0 ? "kernel" : a.Userspace == a.Count ? "userspace" : "mixed",
                Category = reason.Category.ToString().ToLowerInvariant(),
                Samples = a.Count,
                SamplesPct = total == 0 ? 0 : 100.0 * a.Count / total,
                TimePct = totalTime == 0 ? 0 : 100.0 * a.LatencySum / totalTime,
                RatePerSecond = a.Count / (windowS * reps.Count * vms),
                MinNs = a.Count == 0 ? 0 : a.Min,
                MaxNs = a.Max,
                AvgNs = a.Count == 0 ? 0 : mean,
                StddevPct = a.Count > 1 ? 100 * cv / Math.Sqrt(a.Count) : 0,
                CvPct = 100 * cv,
                PerfTimePct = totalPerf == 0 ? 0 : 100.0 * a.PerfSum / totalPerf,
                PerfMinNs = a.Count == 0 ? 0 : a.PerfMin,
                PerfMaxNs = a.PerfMax,
                PerfAvgNs = a.Count == 0 ? 0 : a.PerfMean,
                // perf's "( +- x% )": the standard error of the mean relative to the mean (stddev_stats, rel_stddev_stats).
                PerfStddevPct = a.Count > 1 && a.PerfMean > 0 ? 100 * a.PerfStdDev / a.PerfMean / Math.Sqrt(a.Count) : 0,
                MeanHaltedNs = Per(a.Halted, a.Count),
                P50Ns = Q(a, 0.50), P90Ns = Q(a, 0.90), P99Ns = Q(a, 0.99), P999Ns = Q(a, 0.999),
                MeanSaveNs = Per(a.Save, a.Count), MeanHandleNs = Per(a.Handle, a.Count), MeanWaitNs = Per(a.Wait, a.Count),
                MeanEmulateNs = Per(a.Emulate, a.Count), MeanReenterNs = Per(a.Reenter, a.Count),
                Absorbed = a.Absorbed,
            };
        }).OrderByDescending(r => r.Samples).ThenBy(r => r.Name, StringComparer.Ordinal).ToArray();

        var phaseTotals = new (string, double)[]
        {
            ("save", pooled.Sum(a => a.Save)), ("handle", pooled.Sum(a => a.Handle)), (SegmentKinds.Wait, pooled.Sum(a => a.Wait)),
            ("emulate", pooled.Sum(a => a.Emulate)), ("reenter", pooled.Sum(a => a.Reenter)),
        };
        var phases = phaseTotals.Select(p => new PhaseRow(p.Item1, p.Item2, totalTime == 0 ? 0 : 100 * p.Item2 / totalTime, Per(p.Item2, total))).ToArray();

        // Per-replication values for confidence intervals.
        var perRep = reps.Select(r => ReplicationMetrics.Of(m, r)).ToArray();
        var eRate = Estimate.Of(perRep.Select(MetricTable.ExitsPerSecond.Of).ToArray());
        var eLat = Estimate.Of(perRep.Select(MetricTable.MeanExitLatency.Of).ToArray());
        var eGuest = Estimate.Of(perRep.Select(MetricTable.GuestTime.Of).ToArray());

        long io = m.Reasons.Select((r, i) => r.Category == ExitCategory.Io ? pooled[i].Count : 0).Sum();
        string ept = s.Host.Vendor == Vendor.Intel ? "EPT_VIOLATION" : "npf";
        int eptIndex = m.ReasonIndex(ept);
        long eptCount = eptIndex >= 0 ? pooled[eptIndex].Count : 0;
        double ioShare = total == 0 ? 0 : (double)io / total;
        double eptShare = total == 0 ? 0 : (double)eptCount / total;
        double meanLatency = Per(totalTime, total);
        double exitsPerSecond = total / (windowS * reps.Count * vms);

        var k = s.Kpis;
        var kpis = new[]
        {
            new KpiRow("exit rate", exitsPerSecond, k.MaxExitsPerSecond, "/s", exitsPerSecond < k.MaxExitsPerSecond, "exits per second per VM"),
            new KpiRow("mean exit latency", meanLatency, k.MaxMeanExitLatencyNs, "ns", meanLatency < k.MaxMeanExitLatencyNs, "exit to re-entry, QEMU queueing included"),
            new KpiRow("I/O exit share", 100 * ioShare, 100 * k.MaxIoExitShare, "%", ioShare < k.MaxIoExitShare, "IO_INSTRUCTION + EPT_MISCONFIG (io) among all exits"),
            new KpiRow("EPT-violation share", 100 * eptShare, 100 * k.MaxEptViolationShare, "%", eptShare < k.MaxEptViolationShare, $"{ept} among all exits (the seed gives no denominator)"),
        };

        var utilisation = Enumerable.Range(0, m.QemuThreadCount).Select(q => reps.Average(r => r.QemuUtilisation[q])).ToArray();
        double maxUtil = utilisation.Length == 0 ? 0 : utilisation.Max();
        // Wait at the QEMU threads only: an HLT's wait is the scheduler wake-up, and a virtio notify never reaches QEMU.
        var qemu = new QemuSummary(m.QemuThreadCount, utilisation.Length == 0 ? 0 : utilisation.Average(), maxUtil,
            Per(reps.Sum(r => r.QemuWaitNs), reps.Sum(r => r.QemuServed)), maxUtil >= SaturationThreshold);

        var warnings = new List<string>();
        if (qemu.Saturated)
            warnings.Add($"QEMU thread saturated: utilisation {maxUtil:P1}; userspace exits queue behind each other and the vCPUs are throttled by it (the QEMU thread, not the guest, sets the pace)");
        if (total == 0) warnings.Add("no exits were measured: lengthen the run (duration) or check the rates");
        if (m.Workload is { Kind: Scenarios.WorkloadKind.Open } ow && reps.Count > 0)
        {
            // An open workload the VM cannot keep up with leaves a backlog that grows with the run.
            double backlog = reps.Average(r => (double)r.Workload!.OperationsInFlightAtEnd) / vms;
            double offered = 1e9 / ow.InterArrivalNs;
            if (backlog > Math.Max(50, 0.02 * offered * windowS))
                warnings.Add($"overloaded: {backlog:0} operations per VM were still in flight at the end (offered {Units.UnitFormat.Rate(offered)}); " +
                             "the backlog grows with the run, and the latency percentiles include the unfinished operations' ages");
        }
        warnings.AddRange(m.Notes);

        return new RunReport
        {
            Scenario = s.Name,
            Description = s.Description,
            Vendor = s.Host.Vendor.ToString().ToLowerInvariant(),
            Seed = s.Run.Seed,
            Optimisations = run.Optimisations.ToArray(),
            HostDefaults = s.Host.Defaults,
            DepartsFromDefaults = Scenarios.HostDefaultsDiff.Of(s).Select(d => d.ToString()).ToArray(),
            Replications = reps.Count,
            VmCount = vms,
            VcpusPerVm = m.VcpusPerVm,
            SimulatedSeconds = windowS,
            WarmupSeconds = m.WarmupNs / 1e9,
            WallSeconds = run.WallSeconds,
            ExitsTotal = total,
            ExitsPerSecond = exitsPerSecond,
            ExitsPerSecondCi95 = Ci(eRate),
            MeanExitLatencyNs = meanLatency,
            MeanExitLatencyNsCi95 = Ci(eLat),
            GuestTimeFraction = eGuest.Mean,
            GuestTimeFractionCi95 = Ci(eGuest),
            IoExitSharePct = 100 * ioShare,
            Reasons = rows,
            Phases = phases,
            Kpis = kpis,
            Qemu = qemu,
            Warnings = warnings.ToArray(),
            Timeline = Timeline(reps, vms, m.WarmupNs),
            LatencyCdfs = m.Reasons.Select((reason, i) =>
            {
                var cdf = pooled[i].Histogram.Cdf().ToArray();
                return new LatencyCdf(reason.Name, cdf.Select(c => c.UpperNs).ToArray(), cdf.Select(c => c.CumulativeFraction).ToArray());
            }).Where(c => c.UpperNs.Length > 0).ToArray(),
            Workload = m.Workload is null ? null : Workload(run, perRep, total, io),
            Host = reps.Count > 0 && reps[0].Host.Contended ? Host(reps) : null,
            Nested = NestedBreakdown.Of(m, pooled, windowS * reps.Count * vms),
            GuestKernel = GuestKernelBreakdown.Of(reps, windowS * reps.Count * vms),
        };
    }

    private static HostSummary Host(IReadOnlyList<ReplicationResult> reps)
    {
        double capacity = reps.Sum(r => r.Host.Capacity);
        double Pct(Func<HostCpuTime, double> pick) => 100 * reps.Sum(r => pick(r.Host)) / capacity;
        int vcpus = reps[0].VcpuTime.Length;
        double window = reps.Sum(r => r.WindowNs);
        double maxSteal = Enumerable.Range(0, vcpus).Max(v => reps.Sum(r => r.VcpuTime[v].Steal)) / window;
        var h = reps[0].Host;
        return new HostSummary(h.Cores, vcpus + reps[0].QemuUtilisation.Length + (reps[0].Workload?.VhostUtilisation.Length ?? 0)
            + (reps[0].Workload?.IothreadUtilisation.Length ?? 0),
            Pct(x => x.Guest), Pct(x => x.ExitHandling), Pct(x => x.HostThreads), Pct(x => x.Poll), Pct(x => x.Idle),
            100 * reps.Sum(r => r.Host.Steal) / (window * vcpus), 100 * maxSteal);
    }

    private static WorkloadSummary Workload(RunResult run, ReplicationMetrics[] perRep, long exits, long ioExits)
    {
        var m = run.Model;
        var ws = run.Replications.Select(r => r.Workload!).ToArray();
        double seconds = m.DurationNs / 1e9 * ws.Length * m.VmCount;
        LogHistogram Pool(Func<WorkloadResult, LogHistogram> pick)
        {
            var h = new LogHistogram();
            foreach (var w in ws) h.Add(pick(w));
            return h;
        }
        LatencyCdf Cdf(string name, LogHistogram h)
        {
            var cdf = h.Cdf().ToArray();
            return new LatencyCdf(name, cdf.Select(c => c.UpperNs).ToArray(), cdf.Select(c => c.CumulativeFraction).ToArray());
        }
        string opName = m.Scenario.Workload!.Operation.Name;
        static Percentiles P(LogHistogram h) =>
            h.Total == 0 ? new Percentiles(0, 0, 0, 0, 0)
                : new Percentiles(h.Quantile(0.50), h.Quantile(0.90), h.Quantile(0.99), h.Quantile(0.999), h.Total);
        LogHistogram operations = Pool(w => w.OperationLatency), storage = Pool(w => w.StorageLatency);
        long ops = ws.Sum(w => w.OperationsCompleted), disk = ws.Sum(w => w.DiskRequests), wakes = ws.Sum(w => w.Wakes);
        double vcpuTime = m.DurationNs * ws.Length * m.VcpuCount;
        double idle = run.Replications.Sum(r => r.Time.Idle), poll = run.Replications.Sum(r => r.Time.Poll);
        var throughput = Estimate.Of(perRep.Select(MetricTable.Throughput.Of).ToArray());
        return new WorkloadSummary
        {
            Operation = opName,
            ThroughputOpsPerSecond = ops / seconds,
            ThroughputCi95 = Ci(throughput),
            InFlightAtEnd = (double)ws.Sum(w => w.OperationsInFlightAtEnd) / (ws.Length * m.VmCount),
            OperationLatency = P(operations),
            StorageLatency = P(storage),
            DiskRequestsPerSecond = disk / seconds,
            NotifiesPerSecond = ws.Sum(w => w.Notifies) / seconds,
            InterruptsPerSecond = ws.Sum(w => w.Interrupts) / seconds,
            PostedInterruptsPerSecond = ws.Sum(w => w.PostedInterrupts) / seconds,
            SuppressedNotificationsPerSecond = ws.Sum(w => w.SuppressedNotifications) / seconds,
            ExitsPerOperation = ops == 0 ? 0 : (double)exits / ops,
            IoExitsPerDiskRequest = disk == 0 ? 0 : (double)ioExits / disk,
            WakeLatency = P(Pool(w => w.WakeLatency)),
            PolledWakesPct = wakes == 0 ? 0 : 100.0 * ws.Sum(w => w.PolledWakes) / wakes,
            HaltedPct = 100 * (idle + poll) / vcpuTime,
            HaltPollPct = 100 * poll / vcpuTime,
            HaltPoll = HaltPollStats.Sum(ws.Select(w => w.HaltPoll)),
            VhostUtilisation = Enumerable.Range(0, ws[0].VhostUtilisation.Length).Select(i => ws.Average(w => w.VhostUtilisation[i])).ToArray(),
            IothreadUtilisation = Enumerable.Range(0, ws[0].IothreadUtilisation.Length).Select(i => ws.Average(w => w.IothreadUtilisation[i])).ToArray(),
            IothreadPolling = Enumerable.Range(0, ws[0].IothreadPolling.Length).Select(i => ws.Average(w => w.IothreadPolling[i])).ToArray(),
            PolledAddsPerSecond = ws.Sum(w => w.PolledAdds) / seconds,
            OperationCdf = Cdf($"{opName} latency", operations),
            StorageCdf = Cdf("storage latency", storage),
        };
    }

    private static TimelinePoint[] Timeline(IReadOnlyList<ReplicationResult> reps, int vms, double warmupNs)
    {
        if (reps.Count == 0) return [];
        double bin = reps[0].TimelineBinNs;
        return Enumerable.Range(0, reps[0].Timeline.Length)
            .Select(b => new TimelinePoint((b + 0.5) * bin / 1e9, reps.Average(r => r.Timeline[b]) / (bin / 1e9) / vms, (b + 1) * bin <= warmupNs))
            .ToArray();
    }

    private static double Q(ExitAccumulator a, double q) => a.Count == 0 ? 0 : a.Histogram.Quantile(q, a.Min, a.Max);
    private static double Per(double sum, long count) => count == 0 ? 0 : sum / count;
    private static double? Ci(Estimate e) => double.IsNaN(e.HalfWidth95) ? null : e.HalfWidth95;
}
