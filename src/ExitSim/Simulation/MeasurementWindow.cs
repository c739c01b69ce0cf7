using System.Runtime.CompilerServices;

namespace ExitSim.Simulation;

/// <summary>
/// The measurement window [<see cref="Start"/>, <see cref="End"/>): time before it is warm-up. Time is
/// clipped to it, and an exit or a request counts when it starts inside it.
/// </summary>
internal readonly struct MeasurementWindow(double start, double end)
{
    public readonly double Start = start;
    public readonly double End = end;

    public double Length => End - Start;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Counts(double t) => t >= Start;

    /// <summary>The part of [a, b] inside the window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Clip(double a, double b)
    {
        double lo = a > Start ? a : Start, hi = b < End ? b : End;
        return hi > lo ? hi - lo : 0;
    }
}
