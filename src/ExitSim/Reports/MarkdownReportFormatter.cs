using System.Globalization;
using System.Text;
using ExitSim.Units;

namespace ExitSim.Reports;

/// <summary>The report as GitHub-flavoured Markdown tables (no wall-clock time: the file is reproducible).</summary>
public static class MarkdownReportFormatter
{
    public static string Format(RunReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        string F(string f, params object?[] a) => string.Format(inv, f, a);
        var w = new StringBuilder();
        w.Append(F("## {0}\n\n", PerfTableFormatter.Arm(r)));
        if (r.Description is not null) w.Append(r.Description).Append("\n\n");
        w.Append(F("{0} host, {1} VM × {2} vCPUs; {3}; {4} replication(s) × {5} s simulated after {6} s warm-up; seed {7}; ExitSim {8}.\n\n",
            r.Vendor, r.VmCount, r.VcpusPerVm, r.Optimisations.Length == 0 ? "no optimisations applied" : "optimisations: " + string.Join(", ", r.Optimisations),
            r.Replications, r.SimulatedSeconds, r.WarmupSeconds, r.Seed, r.Version));
        w.Append(PerfTableFormatter.DefaultsLine(r)).Append(".\n\n");
        // Time% to Avg as perf kvm stat measures them (kvm_exit → kvm_entry); then the model's exit latency (hardware exit → re-entry).
        w.Append("| VM-EXIT | Samples | Samples% | Time% | Min | Max | Avg (± SEM%) | exit latency avg | exit latency p99 | path |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var x in r.Reasons.Where(x => x.Samples > 0))
            w.Append(F("| {0} | {1} | {2:0.00}% | {3:0.00}% | {4:0.00}us | {5:0.00}us | {6:0.00}us (± {7:0.00}%) | {8:0.00}us | {9:0.00}us | {10} |\n",
                x.Name, x.Samples, x.SamplesPct, x.PerfTimePct, x.PerfMinNs / 1e3, x.PerfMaxNs / 1e3, x.PerfAvgNs / 1e3, x.PerfStddevPct, x.AvgNs / 1e3, x.P99Ns / 1e3, x.Path));
        w.Append("\n| metric (per VM) | value | 95 % CI ± |\n|---|---:|---:|\n");
        w.Append(F("| exits/s | {0} | {1} |\n", UnitFormat.Rate(r.ExitsPerSecond), r.ExitsPerSecondCi95 is { } a ? UnitFormat.Rate(a) : "–"));
        w.Append(F("| mean exit latency | {0} | {1} |\n", UnitFormat.Time(r.MeanExitLatencyNs), r.MeanExitLatencyNsCi95 is { } b ? UnitFormat.Time(b) : "–"));
        w.Append(F("| guest time | {0:0.00}% | {1} |\n", 100 * r.GuestTimeFraction, r.GuestTimeFractionCi95 is { } c ? (100 * c).ToString("0.00", inv) + "%" : "–"));
        w.Append(F("| QEMU thread utilisation (max) | {0:0.0}%{1} | |\n", 100 * r.Qemu.MaxUtilisation, r.Qemu.Saturated ? " **saturated**" : ""));
        if (r.Workload is { } wl)
        {
            string P(Percentiles p) => p.Count == 0 ? "–" : $"{UnitFormat.Time(p.P50Ns)} / {UnitFormat.Time(p.P99Ns)} / {UnitFormat.Time(p.P999Ns)}";
            w.Append(F("| throughput ({0}/s) | {1:0} | {2} |\n", wl.Operation, wl.ThroughputOpsPerSecond, wl.ThroughputCi95 is { } t ? t.ToString("0", inv) : "–"));
            w.Append(F("| {0} latency p50 / p99 / p99.9 | {1} | |\n", wl.Operation, P(wl.OperationLatency)));
            w.Append(F("| storage latency p50 / p99 / p99.9 | {0} | |\n", P(wl.StorageLatency)));
            w.Append(F("| I/O exits per disk request | {0:0.00} | |\n", wl.IoExitsPerDiskRequest));
            w.Append(F("| halted (polling) | {0:0.00}% ({1:0.00}%) | |\n", wl.HaltedPct, wl.HaltPollPct));
        }
        if (r.Host is { } h)
        {
            w.Append(F("| host cores: guest / exit handling / QEMU+vhost / polling / idle | {0:0.0}% / {1:0.0}% / {2:0.0}% / {3:0.0}% / {4:0.0}% | |\n",
                h.GuestPct, h.ExitHandlingPct, h.HostThreadsPct, h.PollPct, h.IdlePct));
            w.Append(F("| vCPU steal (mean / max) | {0:0.0}% / {1:0.0}% | |\n", h.MeanStealPct, h.MaxStealPct));
        }
        if (r.Nested is { } n)
        {
            w.Append(F("\nNested: the VM is L2 on L1 {0} on L0 KVM (VMCS shadowing {1}); the exit table is L2's view. {2} L2 exits reflected into L1, {3} kept by L0; {4:0.0} L0 exits per reflected exit.\n\n",
                n.L1, n.ShadowVmcs ? "on" : "off", n.Reflected, n.KeptByL0, n.L0ExitsPerReflected));
            w.Append("| L1 exit to L0 | count | per second | per reflected exit |\n|---|---:|---:|---:|\n");
            foreach (var x in n.L1Exits) w.Append(F("| {0} | {1} | {2} | {3:0.0} |\n", x.Kind, x.Count, UnitFormat.Rate(x.PerSecond), x.PerReflected));
        }
        w.Append("\n| KPI | value | target | |\n|---|---:|---:|---|\n");
        foreach (var k in r.Kpis)
            w.Append(F("| {0} | {1} | < {2} | {3} |\n", k.Name, PerfTableFormatter.KpiValue(k.Value, k.Unit), PerfTableFormatter.KpiValue(k.Target, k.Unit), k.Ok ? "ok" : "**missed**"));
        w.Append("\n| phase | share of exit time | mean per exit |\n|---|---:|---:|\n");
        foreach (var p in r.Phases) w.Append(F("| {0} | {1:0.0}% | {2} |\n", p.Phase, p.SharePct, UnitFormat.Time(p.MeanPerExitNs)));
        foreach (var warning in r.Warnings) w.Append("\n> warning: ").Append(warning).Append('\n');
        return w.ToString();
    }
}
