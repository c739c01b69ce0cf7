namespace ExitSim.Calibration;

/// <summary>The measurement tools whose text output ExitSim can import.</summary>
public enum MeasurementFormat
{
    /// <summary><c>perf kvm stat report</c> / <c>perf kvm stat live</c> tables.</summary>
    PerfKvmStat,

    /// <summary><c>kvm_stat</c> TUI capture, <c>-1</c> batch, <c>-l</c> log, <c>-l -c</c> CSV, old debugfs layout.</summary>
    KvmStat,

    /// <summary>ftrace <c>trace</c>/<c>trace_pipe</c>, <c>trace-cmd report</c> or <c>perf script</c> lines of kvm tracepoints.</summary>
    Ftrace,

    /// <summary>BCC <c>kvmexit.py</c> per-reason counts.</summary>
    BccKvmexit,

    /// <summary>kvm-unit-tests <c>x86/vmexit.flat</c> cycles per test.</summary>
    KvmUnitTests,
}
