using System.Runtime.CompilerServices;

namespace ExitSim.Statistics;

/// <summary>
/// Streaming statistics of one exit reason in one replication: count, latency moments, extremes,
/// time per phase and a log histogram. Allocation-free to update.
/// </summary>
public sealed class ExitAccumulator
{
    public long Count;
    public double LatencySum, LatencySumSquares;
    public double Min = double.PositiveInfinity, Max;
    public double Save, Handle, Wait, Emulate, Reenter;
    /// <summary>Asynchronous causes that found the vCPU already outside the guest: injected at entry, no exit.</summary>
    public long Absorbed;
    /// <summary>Exits of this reason that went to QEMU (the rest stayed in the kernel, e.g. virtio notifies at an ioeventfd).</summary>
    public long Userspace;
    public readonly LogHistogram Histogram = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(double save, double handle, double wait, double emulate, double reenter)
    {
        double latency = save + handle + wait + emulate + reenter;
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
        Histogram.Add(o.Histogram);
    }

    public double Mean => Count == 0 ? double.NaN : LatencySum / Count;

    /// <summary>Sample standard deviation of one exit's latency.</summary>
    public double StdDev => Count < 2 ? 0 : Math.Sqrt(Math.Max(0, (LatencySumSquares - LatencySum * LatencySum / Count) / (Count - 1)));
}
