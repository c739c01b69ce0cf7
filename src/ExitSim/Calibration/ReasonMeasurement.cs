using ExitSim.Model;

namespace ExitSim.Calibration;

/// <summary>What one source says about one exit reason (one table row, or all trace events of that reason and path).</summary>
public sealed record ReasonMeasurement
{
    /// <summary>Kernel spelling: VMX upper case (<c>IO_INSTRUCTION</c>), SVM lower case (<c>npf</c>); perf mmio/ioport keys (<c>0x3f8:POUT</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The name as the source printed it, when it differs (<c>EXIT_REASON_HLT</c>, <c>kvm_exit(HLT)</c>, <c>io_exits</c>).</summary>
    public string? SourceName { get; init; }

    public required long Count { get; init; }

    public double? MeanNs { get; init; }

    public double? MinNs { get; init; }

    public double? MaxNs { get; init; }

    /// <summary>perf's <c>( +- x% )</c>: relative standard error of the mean in percent (see <see cref="RelativeStandardError"/>).</summary>
    public double? RelStdErrPct { get; init; }

    /// <summary>perf's <c>Samples%</c>.</summary>
    public double? SamplesPct { get; init; }

    /// <summary>perf's <c>Time%</c>.</summary>
    public double? TimePct { get; init; }

    /// <summary>Exits per second when the source prints a rate (kvm_stat <c>CurAvg/s</c> or the <c>-1</c> delta).</summary>
    public double? RatePerSecond { get; init; }

    /// <summary>Per-exit kvm_exit→kvm_entry times in ns, from traces; exits without a matching entry are not included.</summary>
    public double[]? Durations { get; init; }

    /// <summary>Traces without kvm_exit: the parts of the exits the events show, where they do not mark an exit's end.</summary>
    public PartialTiming? Partial { get; init; }

    /// <summary>1-based line the row came from (the first event of this reason in a trace).</summary>
    public required int SourceLine { get; init; }

    /// <summary>Userspace when the source shows the exit went to the VMM; null when it does not say.</summary>
    public ExitPath? Path { get; init; }

    /// <summary>Process id of the row (bcc kvmexit <c>PID</c> column).</summary>
    public long? Pid { get; init; }

    /// <summary>Thread id of the row (bcc kvmexit <c>TID</c>/<c>TIDS</c> column).</summary>
    public long? Tid { get; init; }

    /// <summary>Per-sample coefficient of variation derived from <see cref="RelStdErrPct"/>; null without it or with fewer than 2 samples.</summary>
    public double? SampleCv => RelStdErrPct is { } pct && Count >= 2 ? RelativeStandardError.ToCv(pct, Count) : null;

    /// <summary>True for HLT-like reasons whose time is idle time, not handling cost.</summary>
    public bool IsIdleTime => IdleExitReasons.IsIdle(Name);
}
