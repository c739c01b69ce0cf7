using System.Globalization;
using System.Text;
using ExitSim.Units;

namespace ExitSim.Reports;

/// <summary>
/// The table users read every day: the layout of <c>perf kvm stat report</c> (tools/perf/builtin-kvm.c,
/// docs/kvm-facts.md §1.1; 20-character name column, widened for longer names) with what perf measures,
/// kvm_exit to kvm_entry; then ExitSim's summary (whose exit latency is hardware exit to re-entry), the
/// seed's KPIs against their targets, and where exit latency goes by phase.
/// </summary>
public static class PerfTableFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(RunReport r)
    {
        var w = new StringBuilder(Table(r, $"  (ExitSim {r.Version}: {Arm(r)}, {r.Replications} replication{(r.Replications == 1 ? "" : "s")} × {Num(r.SimulatedSeconds)} s simulated, seed {r.Seed})"));
        string F(string format, params object[] args) => string.Format(Inv, format, args);

        w.Append(DefaultsLine(r)).Append("\n\n");
        w.Append("Summary (per VM; ± is the 95 % confidence half-width over replications)\n");
        w.Append(F("  exits/s             {0}{1}\n", UnitFormat.Rate(r.ExitsPerSecond), Pm(r.ExitsPerSecondCi95, UnitFormat.Rate)));
        w.Append(F("  mean exit latency   {0}{1}  (hardware exit to re-entry; the table's times are kvm_exit to kvm_entry)\n",
            UnitFormat.Time(r.MeanExitLatencyNs), Pm(r.MeanExitLatencyNsCi95, UnitFormat.Time)));
        w.Append(F("  guest time          {0:0.00}%{1}\n", 100 * r.GuestTimeFraction, Pm(r.GuestTimeFractionCi95, v => (100 * v).ToString("0.00", Inv) + "%")));
        w.Append(F("  QEMU threads        {0}, utilisation mean {1:0.0}% max {2:0.0}%, mean wait {3}{4}\n",
            r.Qemu.Threads, 100 * r.Qemu.MeanUtilisation, 100 * r.Qemu.MaxUtilisation, UnitFormat.Time(r.Qemu.MeanWaitNs),
            r.Qemu.Saturated ? "  SATURATED" : ""));
        w.Append('\n');
        if (r.Workload is { } wl) Workload(w, wl);
        if (r.Host is { } h)
        {
            w.Append(F("Host CPU ({0} cores, {1} threads; share of core-time)\n", h.Cores, h.Threads));
            w.Append(F("  guest {0:0.0}%  exit handling {1:0.0}%  QEMU/vhost {2:0.0}%  polling {3:0.0}%  idle {4:0.0}%\n",
                h.GuestPct, h.ExitHandlingPct, h.HostThreadsPct, h.PollPct, h.IdlePct));
            w.Append(F("  vCPU steal          mean {0:0.0}%  max {1:0.0}% of the window (runnable, waiting for a core)\n\n", h.MeanStealPct, h.MaxStealPct));
        }

        if (r.Nested is { } n) Nested(w, n);
        if (r.GuestKernel is { } gk) GuestKernel(w, gk);
        w.Append("KPIs (seed article targets)\n");
        foreach (var k in r.Kpis)
            w.Append(F("  {0,-20} {1,12}  target < {2,-10} {3}\n", k.Name, KpiValue(k.Value, k.Unit), KpiValue(k.Target, k.Unit), k.Ok ? "ok" : "MISSED"));
        w.Append('\n');

        w.Append("Exit time by phase\n");
        foreach (var p in r.Phases)
            w.Append(F("  {0,-10} {1,7:0.0}%   {2,10} per exit\n", p.Phase, p.SharePct, UnitFormat.Time(p.MeanPerExitNs)));
        foreach (var warning in r.Warnings) w.Append("\nwarning: ").Append(warning).Append('\n');
        return w.ToString();
    }

    private static void Workload(StringBuilder w, WorkloadSummary x)
    {
        string F(string format, params object[] args) => string.Format(Inv, format, args);
        string P(Percentiles p) => p.Count == 0 ? "-" : $"p50 {UnitFormat.Time(p.P50Ns)}  p90 {UnitFormat.Time(p.P90Ns)}  p99 {UnitFormat.Time(p.P99Ns)}  p99.9 {UnitFormat.Time(p.P999Ns)}";
        w.Append(F("Workload (per VM)\n"));
        w.Append(F("  throughput          {0} {1}/s{2}\n", Num(x.ThroughputOpsPerSecond, "0"), x.Operation, Pm(x.ThroughputCi95, v => v.ToString("0", Inv))));
        w.Append(F("  {0,-19} {1}\n", x.Operation + " latency", P(x.OperationLatency)));
        w.Append(F("  storage latency     {0}\n", P(x.StorageLatency)));
        w.Append(F("  disk requests/s     {0}, {1:0.00} I/O exits (all devices) per disk request\n", UnitFormat.Rate(x.DiskRequestsPerSecond), x.IoExitsPerDiskRequest));
        w.Append(F("  virtio notifies/s   {0}\n", UnitFormat.Rate(x.NotifiesPerSecond)));
        w.Append(F("  interrupts/s        {0} ({1} posted)\n", UnitFormat.Rate(x.InterruptsPerSecond), UnitFormat.Rate(x.PostedInterruptsPerSecond)));
        if (x.SuppressedNotificationsPerSecond > 0)
            w.Append(F("  to preempted vCPUs  {0} device interrupts posted without a notification (PI.SN), taken at their next entry\n", UnitFormat.Rate(x.SuppressedNotificationsPerSecond)));
        w.Append(F("  exits per {0,-9} {1:0.00}\n", x.Operation, x.ExitsPerOperation));
        w.Append(F("  halted              {0:0.00}% of vCPU time ({1:0.00}% polling), wake-up {2}, {3:0.0}% caught by polling\n",
            x.HaltedPct, x.HaltPollPct, x.WakeLatency.Count == 0 ? "-" : $"p50 {UnitFormat.Time(x.WakeLatency.P50Ns)} p99 {UnitFormat.Time(x.WakeLatency.P99Ns)}", x.PolledWakesPct));
        var hp = x.HaltPoll;
        w.Append(F("  halt polling (kvm)  halt_attempted_poll {0}, halt_successful_poll {1}, halt_wakeup {2}; poll success {3}, fail {4}, wait {5} (all replications)\n",
            hp.HaltAttemptedPoll, hp.HaltSuccessfulPoll, hp.HaltWakeup, UnitFormat.Time(hp.HaltPollSuccessNs), UnitFormat.Time(hp.HaltPollFailNs), UnitFormat.Time(hp.HaltWaitNs)));
        w.Append(F("  halt histograms     halt_poll_success_hist {0}; halt_poll_fail_hist {1}; halt_wait_hist {2} (log2 buckets: from-lower-bound×count)\n",
            Hist(hp.HaltPollSuccessHist), Hist(hp.HaltPollFailHist), Hist(hp.HaltWaitHist)));
        if (x.VhostUtilisation.Length > 0)
            w.Append(F("  vhost workers       {0}, utilisation max {1:0.0}%\n", x.VhostUtilisation.Length, 100 * x.VhostUtilisation.Max()));
        if (x.IothreadUtilisation.Length > 0)
            w.Append(F("  QEMU IOThreads      {0}, utilisation max {1:0.0}%, polling {2:0.0}% of a core (mean), {3} additions found by polling\n",
                x.IothreadUtilisation.Length, 100 * x.IothreadUtilisation.Max(), 100 * x.IothreadPolling.Average(), UnitFormat.Rate(x.PolledAddsPerSecond)));
        w.Append('\n');
    }

    private static void Nested(StringBuilder w, NestedSummary n)
    {
        string F(string format, params object[] args) => string.Format(Inv, format, args);
        w.Append(F("Nested (the VM is L2, on L1 {0} on L0 KVM; VMCS shadowing {1}): the table is L2's view, each exit timed from L2's exit to its re-entry, L1's work included\n",
            n.L1, n.ShadowVmcs ? "on" : "off"));
        w.Append(F("  L2 exits reflected into L1 {0}, kept by L0 {1}; L0 exits per reflected exit {2:0.0}\n", n.Reflected, n.KeptByL0, n.L0ExitsPerReflected));
        foreach (var x in n.L1Exits)
            w.Append(F("  L1 exit to L0 {0,-28} {1,12}  {2,10}  {3,6:0.0} per reflected exit\n", x.Kind, x.Count, UnitFormat.Rate(x.PerSecond), x.PerReflected));
        w.Append('\n');
    }

    private static void GuestKernel(StringBuilder w, GuestKernelSummary g)
    {
        string F(string format, params object[] args) => string.Format(Inv, format, args);
        w.Append("Guest kernel (per VM)\n");
        if (g.Shootdowns is { } s)
        {
            w.Append(F("  TLB shootdowns      {0}, {1:0.0} flush IPIs each, the initiator waits {2} on average for its acks\n",
                UnitFormat.Rate(s.PerSecond), s.IpisPerShootdown, UnitFormat.Time(s.MeanWaitNs)));
            w.Append(F("    acked only after the host ran the target again {0}; skipped as preempted (PV TLB flush) {1}; yields to a preempted target: {2} PV sched-yield, {3} PLE (of {4} PAUSE exits)\n",
                s.AckedAfterPreemption, s.Skipped, s.Yields, s.PleYields, s.PauseExits));
            if (s.Broadcasts > 0) w.Append(F("    AVIC broadcasts {0}, of which exited (avic_incomplete_ipi) {1}\n", s.Broadcasts, s.BroadcastExits));
        }
        if (g.Lock is { } l)
        {
            w.Append(F("  kernel spinlock     {0} acquisitions, {1:0.0}% contended, waiting {2} on average\n",
                UnitFormat.Rate(l.AcquisitionsPerSecond), l.ContendedPct, UnitFormat.Time(l.MeanContendedWaitNs)));
            w.Append(F("    PAUSE exits {0} (holder preempted {1}), directed yields {2}; PV spinlocks: halts {3}, kicks (KVM_HC_KICK_CPU) {4}\n",
                l.PauseExits, l.HolderPreempted, l.PleYields, l.PvHalts, l.Kicks));
        }
        w.Append('\n');
    }

    private static string Num(double v, string format) => v.ToString(format, Inv);

    /// <summary>A KVM log2 histogram's non-empty buckets as lower bound × count (bucket 0 is 0 ns, bucket i ≥ 1 starts at 2^(i-1) ns).</summary>
    private static string Hist(long[] buckets)
    {
        var parts = buckets.Select((n, i) => (n, i)).Where(b => b.n > 0)
            .Select(b => (b.i == 0 ? "0ns" : UnitFormat.Time(Math.Pow(2, b.i - 1))) + "×" + b.n.ToString(Inv)).ToArray();
        return parts.Length == 0 ? "-" : string.Join(" ", parts);
    }

    /// <summary>
    /// Just the perf kvm stat part, exactly in perf's layout (pre-6.4: 20-character name column) and with
    /// what perf measures — each exit from kvm_exit to kvm_entry (tools/perf/arch/x86/util/kvm-stat.c), so
    /// no hardware save or reenter, and HLT with its halted time — so the importers of <c>exitsim
    /// calibrate</c> read it like perf's own output.
    /// </summary>
    public static string Table(RunReport r, string headerNote = "")
    {
        var w = new StringBuilder();
        int width = Math.Max(20, r.Reasons.Select(x => x.Name.Length).DefaultIfEmpty(0).Max());
        string F(string format, params object[] args) => string.Format(Inv, format, args);
        w.Append("Analyze events for all VMs, all VCPUs:").Append(headerNote).Append("\n\n");
        w.Append(F("{0} {1,10} {2,9} {3,9} {4,11} {5,11} {6,16} \n\n",
            "VM-EXIT".PadLeft(width), "Samples", "Samples%", "Time%", "Min Time", "Max Time", "Avg time"));
        foreach (var x in r.Reasons.Where(x => x.Samples > 0))
            w.Append(F("{0} {1,10} {2,8:0.00}% {3,8:0.00}% {4,9:0.00}us {5,9:0.00}us {6,9:0.00}us ( +-{7,7:0.00}% )\n",
                x.Name.PadLeft(width), x.Samples, x.SamplesPct, x.PerfTimePct, x.PerfMinNs / 1e3, x.PerfMaxNs / 1e3, x.PerfAvgNs / 1e3, x.PerfStddevPct));
        double handled = r.Reasons.Sum(x => x.PerfAvgNs * x.Samples) / 1e3;
        w.Append(F("\nTotal Samples:{0}, Total events handled time:{1:0.00}us.\n\n", r.ExitsTotal, handled));
        return w.ToString();
    }

    private static string Pm(double? ci, Func<double, string> fmt) => ci is { } c ? " ± " + fmt(c) : "";

    /// <summary>The scenario and the optimisations applied to it: "database with virtio, hugepages-2m, apicv".</summary>
    /// <summary>The host generation and where the run departs from its defaults (what a "before" arm switched off).</summary>
    public static string DefaultsLine(RunReport r) => r.DepartsFromDefaults.Length == 0
        ? $"Host defaults {r.HostDefaults}: all in effect"
        : $"Host defaults {r.HostDefaults}, except: {string.Join("; ", r.DepartsFromDefaults)}";

    public static string Arm(RunReport r) => r.Optimisations.Length == 0 ? r.Scenario : $"{r.Scenario} with {string.Join(", ", r.Optimisations)}";

    internal static string KpiValue(double v, string unit) => unit switch
    {
        "/s" => UnitFormat.Rate(v),
        "ns" => UnitFormat.Time(v),
        "%" => v.ToString(v < 1 ? "0.###" : "0.0", Inv) + "%",
        _ => v.ToString("0.###", Inv),
    };

    private static string Num(double v) => v.ToString("0.###", Inv);
}
