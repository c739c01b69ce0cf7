using ExitSim.Model;

namespace ExitSim.Calibration.Importers;

/// <summary>A measurement while its report is being read; importers fill it line by line, then freeze it with <see cref="Build"/>.</summary>
internal sealed class MeasurementBuilder(MeasurementFormat format, string sourcePath, int startLine)
{
    public int StartLine { get; } = startLine;

    public string? Table { get; set; }

    public string? Title { get; set; }

    public int? Vcpu { get; set; }

    public double? IntervalSeconds { get; set; }

    /// <summary>Exit-reason names exactly as the kernel printed them, to guess the vendor from (not names ExitSim mapped from counters).</summary>
    public List<string> VendorEvidence { get; } = [];

    /// <summary>Vendor stated outside reason names (perf's <c>unknown kvm exit code:N on VMX</c>).</summary>
    public Vendor? VendorHint { get; set; }

    public VcpuInference? Vcpus { get; set; }

    public List<ReasonMeasurement> Reasons { get; } = [];

    public List<CounterMeasurement> Counters { get; } = [];

    public List<UnitTestCycles> UnitTests { get; } = [];

    public long? TotalSamples { get; set; }

    public double? TotalTimeNs { get; set; }

    public long? LostEvents { get; set; }

    public int UnpairedExits { get; set; }

    public List<SkippedLine> SkippedLines { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>True once the report's closing line (perf footer, kvm_stat <c>Total</c>) was read.</summary>
    public bool Closed { get; set; }

    public bool HasData => Reasons.Count > 0 || Counters.Count > 0 || UnitTests.Count > 0;

    public Measurement Build()
    {
        var reasons = Reasons.ToArray();
        return new Measurement
        {
            Format = format,
            SourcePath = sourcePath,
            StartLine = StartLine,
            Table = Table,
            Title = Title,
            Vcpu = Vcpu,
            IntervalSeconds = IntervalSeconds,
            Vendor = ExitReasonVocabulary.GuessVendor(VendorEvidence) ?? VendorHint,
            Vcpus = Vcpus,
            Reasons = reasons,
            Counters = Counters.ToArray(),
            UnitTests = UnitTests.ToArray(),
            TotalSamples = TotalSamples,
            TotalTimeNs = TotalTimeNs,
            LostEvents = LostEvents,
            UnpairedExits = UnpairedExits,
            SkippedLines = SkippedLines.ToArray(),
            Notes = Notes.ToArray(),
        };
    }
}
