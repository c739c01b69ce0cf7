using System.Runtime.CompilerServices;

namespace ExitSim.Statistics;

/// <summary>
/// Streaming statistics of one exit reason in one replication: count, latency moments, extremes,
/// time per phase and a log histogram. Allocation-free to update. Two times per exit: its exit latency
/// (hardware exit to re-entry: save + handle + wait + emulate + reenter, a halt's idle time excluded), and
/// what <c>perf kvm stat</c> measures, kvm_exit to kvm_entry (tools/perf/arch/x86/util/kvm-stat.c): handle +
/// wait + emulate, plus a halt's halted time (KVM blocks or polls between the two tracepoints).
/// </summary>
public sealed class ExitAccumulator
{
    public long Count;
    public double LatencySum, LatencySumSquares;
    public double Min = double.PositiveInfinity, Max;
    public double Save, Handle, Wait, Emulate, Reenter;
    /// <summary>Time HLT exits spent halted (polling or blocked) between handle and wake-up.</summary>
    public double Halted;
    /// <summary>kvm_exit → kvm_entry time (what perf kvm stat reports): sum, sum of squares, extremes.</summary>
    public double PerfSum, PerfSumSquares, PerfMin = double.PositiveInfinity, PerfMax;
    /// <summary>Asynchronous causes that found the vCPU already outside the guest: injected at entry, no exit.</summary>
    public long Absorbed;
    /// <summary>Exits of this reason that went to QEMU (the rest stayed in the kernel, e.g. virtio notifies at an ioeventfd).</summary>
    public long Userspace;
    public readonly LogHistogram Histogram = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(double save, double handle, double wait, double emulate, double reenter, double halted = 0)
    {
        double latency = save + handle + wait + emulate + reenter;
        double perf = handle + halted + wait + emulate;
        PerfSum += perf;
        PerfSumSquares += perf * perf;
        if (perf < PerfMin) PerfMin = perf;
        if (perf > PerfMax) PerfMax = perf;
        Halted += halted;
        Count++;
        LatencySum += latency;
        LatencySumSquares += latency * latency;
        if (latency < Min) Min = latency;
        if (latency > Max) Max = latency;
        Save += save;
        Handle += handle;
        Wait += wait;
        Emulate += emulate;
        Reenter += reenter;
        Histogram.Record(latency);
    }

    public void Add(ExitAccumulator o)
    {
        Count += o.Count;
        Userspace += o.Userspace;
        LatencySum += o.LatencySum;
        LatencySumSquares += o.LatencySumSquares;
        Min = Math.Min(Min, o.Min);
        Max = Math.Max(Max, o.Max);
        Save += o.Save; Handle += o.Handle; Wait += o.Wait; Emulate += o.Emulate; Reenter += o.Reenter;
        Absorbed += o.Absorbed;
        Halted += o.Halted;
        PerfSum += o.PerfSum;
        PerfSumSquares += o.PerfSumSquares;
        PerfMin = Math.Min(PerfMin, o.PerfMin);
        PerfMax = Math.Max(PerfMax, o.PerfMax);
        Histogram.Add(o.Histogram);
    }

    public double Mean => Count == 0 ? double.NaN : LatencySum / Count;

    /// <summary>Mean kvm_exit → kvm_entry time (perf kvm stat's "Avg time").</summary>
    public double PerfMean => Count == 0 ? double.NaN : PerfSum / Count;

    /// <summary>Sample standard deviation of one exit's kvm_exit → kvm_entry time.</summary>
    public double PerfStdDev => Count < 2 ? 0 : Math.Sqrt(Math.Max(0, (PerfSumSquares - PerfSum * PerfSum / Count) / (Count - 1)));

    /// <summary>Sample standard deviation of one exit's latency.</summary>
    public double StdDev => Count < 2 ? 0 : Math.Sqrt(Math.Max(0, (LatencySumSquares - LatencySum * LatencySum / Count) / (Count - 1)));
}
