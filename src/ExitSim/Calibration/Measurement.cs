using ExitSim.Model;

namespace ExitSim.Calibration;

/// <summary>
/// One table or report read from a measurement file. A file can hold several (perf <c>--event=vmexit|mmio|ioport</c>
/// reports, live refreshes, bcc invocations, before/after columns), so importers return a list of these.
/// </summary>
public sealed record Measurement
{
    public required MeasurementFormat Format { get; init; }

    public required string SourcePath { get; init; }

    /// <summary>1-based line where this report starts.</summary>
    public required int StartLine { get; init; }

    /// <summary>What the table counts: perf's name-column header (<c>VM-EXIT</c>, <c>MMIO Access</c>, <c>IO Port Access</c>,
    /// <c>MSR Access</c>); the column label of a kvm-unit-tests table (<c>before</c>); null when not stated.</summary>
    public string? Table { get; init; }

    /// <summary>The heading line as printed (<c>Analyze events for VCPU 0:</c>, <c>kvm statistics - summary</c>, bcc's <c>Display …</c>);
    /// perf live mode puts the refresh time stamp first (<c>15:52:35.709821 Analyze events for …</c>).</summary>
    public string? Title { get; init; }

    /// <summary>The vCPU the report is limited to (perf <c>--vcpu</c>), null for all vCPUs.</summary>
    public int? Vcpu { get; init; }

    /// <summary>
    /// Length of the window the counts cover, when the text states it: bcc <c>after sleeping N secs</c>; ftrace last − first
    /// timestamp; kvm_stat <c>-l</c>/<c>-c</c> one second per row. Null otherwise (perf report/live, kvm_stat TUI, bcc with Ctrl-C).
    /// </summary>
    public double? IntervalSeconds { get; init; }

    public Vendor? Vendor { get; init; }

    /// <summary>The vCPUs a trace shows (its vCPU threads); null for formats that do not name them.</summary>
    public VcpuInference? Vcpus { get; init; }

    public IReadOnlyList<ReasonMeasurement> Reasons { get; init; } = [];

    /// <summary>Event counters that are not exit reasons (kvm_stat <c>kvm_entry</c>, <c>kvm_msr</c>, debugfs <c>pf_fixed</c>, trace events).</summary>
    public IReadOnlyList<CounterMeasurement> Counters { get; init; } = [];

    /// <summary>kvm-unit-tests results (cycles per test); empty for other formats.</summary>
    public IReadOnlyList<UnitTestCycles> UnitTests { get; init; } = [];

    /// <summary>Total exits as the file states it: perf <c>Total Samples:</c>, kvm_stat <c>kvm_exit</c> or <c>exits</c>. May exceed
    /// <see cref="ReasonCountSum"/> when rows were dropped.</summary>
    public long? TotalSamples { get; init; }

    /// <summary>perf's <c>Total events handled time</c>, in ns.</summary>
    public double? TotalTimeNs { get; init; }

    /// <summary>perf's <c>Lost events:</c> footer.</summary>
    public long? LostEvents { get; init; }

    /// <summary>Trace exits with no later <c>kvm_entry</c> on the same thread: counted in their reason but without a duration.</summary>
    public int UnpairedExits { get; init; }

    public IReadOnlyList<SkippedLine> SkippedLines { get; init; } = [];

    /// <summary>Remarks from the importer: unknown exit codes, sums that do not match, repaired rows.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Sum of the reason rows' counts (compare with <see cref="TotalSamples"/>).</summary>
    public long ReasonCountSum => Importers.Numbers.Sum(Reasons.Select(r => r.Count));
}
