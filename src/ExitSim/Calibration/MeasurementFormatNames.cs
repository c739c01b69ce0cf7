namespace ExitSim.Calibration;

/// <summary>The names users type to select a format (<c>--format perf-kvm-stat</c>) and that reports print.</summary>
public static class MeasurementFormatNames
{
    public static string Name(this MeasurementFormat format) => format switch
    {
        MeasurementFormat.PerfKvmStat => "perf-kvm-stat",
        MeasurementFormat.KvmStat => "kvm_stat",
        MeasurementFormat.Ftrace => "ftrace",
        MeasurementFormat.BccKvmexit => "bcc-kvmexit",
        MeasurementFormat.KvmUnitTests => "kvm-unit-tests",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>What a person would call the tool's output, for messages.</summary>
    public static string Description(this MeasurementFormat format) => format switch
    {
        MeasurementFormat.PerfKvmStat => "perf kvm stat",
        MeasurementFormat.KvmStat => "kvm_stat",
        MeasurementFormat.Ftrace => "ftrace/trace-cmd",
        MeasurementFormat.BccKvmexit => "bcc kvmexit",
        MeasurementFormat.KvmUnitTests => "kvm-unit-tests vmexit",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Parses a format name; accepts the canonical names and a few aliases (trace-cmd, perf-script, kvmexit…).</summary>
    public static bool TryParse(string name, out MeasurementFormat format)
    {
        // Case and '-'/'_' spelling vary between what users type and the tools' own names.
        var key = name.Trim().ToLowerInvariant().Replace('_', '-');
        MeasurementFormat? found = key switch
        {
            "perf-kvm-stat" or "perf" or "perf-kvm" => MeasurementFormat.PerfKvmStat,
            "kvm-stat" => MeasurementFormat.KvmStat,
            "ftrace" or "trace-cmd" or "perf-script" or "trace" => MeasurementFormat.Ftrace,
            "bcc-kvmexit" or "kvmexit" or "bcc" => MeasurementFormat.BccKvmexit,
            "kvm-unit-tests" or "vmexit" or "vmexit.flat" => MeasurementFormat.KvmUnitTests,
            _ => null,
        };
        format = found ?? default;
        return found is not null;
    }

    /// <summary>All canonical names, for help texts and error messages.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<MeasurementFormat>().Select(Name).ToArray();
}
