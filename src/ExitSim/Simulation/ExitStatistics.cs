using System.Runtime.CompilerServices;
using ExitSim.Statistics;

namespace ExitSim.Simulation;

/// <summary>
/// Where a replication's exits are counted, as <c>perf kvm stat</c> would: per reason (only exits that start
/// inside the window), on the timeline (warm-up included), and to the optional sink (trace export, timelines).
/// </summary>
internal sealed class ExitStatistics
{
    /// <summary>Exits are also counted in this many equal bins over warm-up + window (exits over time).</summary>
    public const int TimelineBins = 200;

    private readonly MeasurementWindow _window;
    private readonly IExitSink? _sink;
    private readonly double _binsPerNs;

    public ExitStatistics(int reasons, MeasurementWindow window, IExitSink? sink)
    {
        _window = window;
        _sink = sink;
        _binsPerNs = TimelineBins / window.End;
        Reasons = new ExitAccumulator[reasons];
        for (int i = 0; i < reasons; i++) Reasons[i] = new ExitAccumulator();
    }

    public ExitAccumulator[] Reasons { get; }
    public long[] Timeline { get; } = new long[TimelineBins];
    public double TimelineBinNs => _window.End / TimelineBins;

    /// <summary>A finished exit with its phases; true when it counts (it started inside the window).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Record(int vcpu, int site, int reason, double start, double save, double handle, double wait, double emulate, double reenter, double halted = 0)
    {
        bool counts = _window.Counts(start);
        if (counts) Reasons[reason].Record(save, handle, wait, emulate, reenter, halted);
        Timeline[(int)(start * _binsPerNs)]++;
        if (_sink is not null) ToSink(vcpu, site, reason, start, save, handle, wait, emulate, reenter, halted);
        return counts;
    }

    // Apart, so that callers without a sink (nearly all runs) do not build the record.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ToSink(int vcpu, int site, int reason, double start, double save, double handle, double wait, double emulate, double reenter, double halted) =>
        _sink!.OnExit(new ExitRecord(vcpu, reason, start, save, handle, wait, emulate, reenter, halted, site));

    /// <summary>A wall-clock cause that found the vCPU outside the guest: KVM injects it at the next entry, no exit.</summary>
    public void Absorbed(int reason, double t)
    {
        if (_window.Counts(t)) Reasons[reason].Absorbed++;
    }

    /// <summary>An exit still in progress when the run ends (timelines need it to account for the vCPU up to the end).</summary>
    public void Unfinished(in ExitRecord exit) => _sink?.OnUnfinishedExit(exit);
}
