using ExitSim.Simulation;

namespace ExitSim.Reports;

/// <summary>
/// Everything a run reports, as plain data: formatters (table, JSON, CSV, Markdown) only format it.
/// It says what produced it: scenario, optimisations applied, seed and run settings, ExitSim version.
/// Rates and latencies are per VM and pooled over replications; *_ci95 fields are half-widths of
/// 95 % Student-t intervals over replications (null with a single replication).
/// </summary>
public sealed record RunReport
{
    public required string Scenario { get; init; }
    public string? Description { get; init; }
    public required string Vendor { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>The ExitSim version that produced the report.</summary>
    public string Version { get; init; } = Running.ExitSimVersion.Current;
    /// <summary>The optimisation plug-ins applied to the scenario (<c>run --with</c>); empty for the scenario as written.</summary>
    public string[] Optimisations { get; init; } = [];
    /// <summary>The host generation whose defaults the scenario starts from (<c>host.defaults</c>).</summary>
    public string HostDefaults { get; init; } = Scenarios.HostDefaults.Current.Name;
    /// <summary>Effective settings that differ from those defaults, e.g. "host.features apicv off (default on)".</summary>
    public string[] DepartsFromDefaults { get; init; } = [];
    public required int Replications { get; init; }
    public required int VmCount { get; init; }
    public required int VcpusPerVm { get; init; }
    /// <summary>Measured simulated time of one replication (warm-up excluded).</summary>
    public required double SimulatedSeconds { get; init; }
    public required double WarmupSeconds { get; init; }
    public required double WallSeconds { get; init; }
    public required long ExitsTotal { get; init; }
    public required double ExitsPerSecond { get; init; }
    public double? ExitsPerSecondCi95 { get; init; }
    public required double MeanExitLatencyNs { get; init; }
    public double? MeanExitLatencyNsCi95 { get; init; }
    public required double GuestTimeFraction { get; init; }
    public double? GuestTimeFractionCi95 { get; init; }
    public required double IoExitSharePct { get; init; }
    public required ReasonRow[] Reasons { get; init; }
    public required PhaseRow[] Phases { get; init; }
    public required KpiRow[] Kpis { get; init; }
    public required QemuSummary Qemu { get; init; }
    public required string[] Warnings { get; init; }
    /// <summary>Exits per second per VM over simulated time, warm-up included (mean over replications).</summary>
    public required TimelinePoint[] Timeline { get; init; }
    /// <summary>Empirical CDF of exit latency per reason (histogram bucket upper bounds), pooled over replications.</summary>
    public required LatencyCdf[] LatencyCdfs { get; init; }
    /// <summary>The application's side (throughput, latencies, device and interrupt counts); null without a workload.</summary>
    public WorkloadSummary? Workload { get; init; }
    /// <summary>Host CPU contention: core utilisation by kind and the vCPUs' steal; null when the host has at least as many cores as threads.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public HostSummary? Host { get; init; }
    /// <summary>Nested virtualisation (host.nested): L2's exits reflected into L1 and L1's own exits to L0; null when not nested.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public NestedSummary? Nested { get; init; }
    /// <summary>The guest kernel's TLB shootdowns and spinlock (vm.tlb_shootdowns, vm.kernel_spin with hold); null with neither.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public GuestKernelSummary? GuestKernel { get; init; }
}

/// <summary>
/// The host's cores over the window, pooled over replications: shares (%) of cores × window by kind
/// (guest, exit handling = save + handle + reenter, QEMU and vhost threads, halt polling, idle), and the
/// vCPUs' steal (runnable, waiting for a core) as a share of the window, mean and worst vCPU.
/// </summary>
public sealed record HostSummary(int Cores, int Threads, double GuestPct, double ExitHandlingPct, double HostThreadsPct, double PollPct,
    double IdlePct, double MeanStealPct, double MaxStealPct);

/// <summary>
/// What the workload layer measured, per VM and pooled over replications. Latency percentiles come
/// from log histograms (±0.8 %); per-request and per-operation ratios divide counts in the window.
/// </summary>
public sealed record WorkloadSummary
{
    public required string Operation { get; init; }
    public required double ThroughputOpsPerSecond { get; init; }
    /// <summary>Operations arrived but unfinished at the end of a replication (mean per VM); they count in the latency percentiles with their age.</summary>
    public required double InFlightAtEnd { get; init; }
    public double? ThroughputCi95 { get; init; }
    public required Percentiles OperationLatency { get; init; }
    public required Percentiles StorageLatency { get; init; }
    public required double DiskRequestsPerSecond { get; init; }
    /// <summary>virtio notifies per disk request or packet sent; 0 for emulated devices.</summary>
    public required double NotifiesPerSecond { get; init; }
    public required double InterruptsPerSecond { get; init; }
    /// <summary>Share of interrupts to a running vCPU that were posted (no EXTERNAL_INTERRUPT exit).</summary>
    public required double PostedInterruptsPerSecond { get; init; }
    /// <summary>VT-d-posted device interrupts to a preempted vCPU that sent no notification (PI.SN set by vmx_vcpu_pi_put): taken at its next entry.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double SuppressedNotificationsPerSecond { get; init; }
    public required double ExitsPerOperation { get; init; }
    public required double IoExitsPerDiskRequest { get; init; }
    public required Percentiles WakeLatency { get; init; }
    public required double PolledWakesPct { get; init; }
    /// <summary>Share of vCPU time halted, and the part of it spent polling (host CPU burnt).</summary>
    public required double HaltedPct { get; init; }
    public required double HaltPollPct { get; init; }
    /// <summary>KVM's halt-polling statistics, all VMs and replications together (the counters' deltas over the measured windows).</summary>
    public required HaltPollStats HaltPoll { get; init; }
    public required double[] VhostUtilisation { get; init; }
    public required double[] IothreadUtilisation { get; init; }
    /// <summary>Share of the window each IOThread spent polling (host CPU), and guest additions it found so (no notify) per second.</summary>
    public required double[] IothreadPolling { get; init; }
    public required double PolledAddsPerSecond { get; init; }
    /// <summary>Empirical CDFs (histogram bucket upper bounds) of operation and storage latency, pooled over replications.</summary>
    public required LatencyCdf OperationCdf { get; init; }
    public required LatencyCdf StorageCdf { get; init; }
}

public sealed record Percentiles(double P50Ns, double P90Ns, double P99Ns, double P999Ns, long Count);

public sealed record TimelinePoint(double TimeSeconds, double ExitsPerSecond, bool Warmup);

public sealed record LatencyCdf(string Reason, double[] UpperNs, double[] Fraction);

/// <summary>
/// One exit reason, with two times per exit. The exit latency (<see cref="TimePct"/>, <see cref="MinNs"/>,
/// <see cref="MaxNs"/>, <see cref="AvgNs"/>, the percentiles) is the model's: hardware exit to re-entry,
/// save + handle + wait + emulate + reenter, a halt's idle time excluded. The Perf* fields are what
/// <c>perf kvm stat report</c> prints (tools/perf/arch/x86/util/kvm-stat.c: an exit is timed from the
/// kvm_exit tracepoint to the next kvm_entry, tools/perf/builtin-kvm.c): handle + wait + emulate, without
/// the hardware save and reenter, and for HLT the halted time too. <see cref="PerfStddevPct"/> and
/// <see cref="StddevPct"/> are perf's "( +- x% )", the standard error of the mean relative to the mean
/// (perf's stddev_stats); <see cref="CvPct"/> is the spread of single exits' latency (stddev / mean).
/// </summary>
public sealed record ReasonRow
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public required string Category { get; init; }
    public required long Samples { get; init; }
    public required double SamplesPct { get; init; }
    public required double TimePct { get; init; }
    public required double RatePerSecond { get; init; }
    public required double MinNs { get; init; }
    public required double MaxNs { get; init; }
    public required double AvgNs { get; init; }
    public required double StddevPct { get; init; }
    public required double CvPct { get; init; }
    public required double P50Ns { get; init; }
    public required double P90Ns { get; init; }
    public required double P99Ns { get; init; }
    public required double P999Ns { get; init; }
    public required double MeanSaveNs { get; init; }
    public required double MeanHandleNs { get; init; }
    public required double MeanWaitNs { get; init; }
    public required double MeanEmulateNs { get; init; }
    public required double MeanReenterNs { get; init; }
    /// <summary>Wall-clock causes that found the vCPU already outside the guest (injected at entry, no exit).</summary>
    public required long Absorbed { get; init; }
    /// <summary>Mean time an exit of this reason was halted (HLT: polling or blocked until the wake-up); 0 for others.</summary>
    public double MeanHaltedNs { get; init; }
    /// <summary>Share of all kvm_exit → kvm_entry time (perf's Time%).</summary>
    public double PerfTimePct { get; init; }
    public double PerfMinNs { get; init; }
    public double PerfMaxNs { get; init; }
    /// <summary>Mean kvm_exit → kvm_entry time (perf's Avg time).</summary>
    public double PerfAvgNs { get; init; }
    public double PerfStddevPct { get; init; }
}

/// <summary>Where exit time goes, summed over all exits.</summary>
public sealed record PhaseRow(string Phase, double TotalNs, double SharePct, double MeanPerExitNs);

public sealed record KpiRow(string Name, double Value, double Target, string Unit, bool Ok, string Definition);

public sealed record QemuSummary(int Threads, double MeanUtilisation, double MaxUtilisation, double MeanWaitNs, bool Saturated);
