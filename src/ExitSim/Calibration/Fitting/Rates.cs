namespace ExitSim.Calibration.Fitting;

/// <summary>Turns counts into rates per second.</summary>
public static class Rates
{
    public static RateEstimate PerSecond(long count, double? intervalSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (intervalSeconds is not { } seconds || !(seconds > 0) || !double.IsFinite(seconds))
        {
            return new RateEstimate
            {
                Count = count,
                IntervalSeconds = intervalSeconds,
                Note = "interval unknown: the source does not state how long it recorded (give the window, e.g. perf kvm stat record's 'sleep N' or live -d)",
            };
        }

        return new RateEstimate
        {
            Count = count,
            IntervalSeconds = seconds,
            PerSecond = count / seconds,
            Note = $"{count} exits over {seconds:0.######} s",
        };
    }

    /// <summary>
    /// A reason's rate: the tool's own rate if it printed one (kvm_stat <c>CurAvg/s</c>), else count over the measurement's
    /// interval, else <paramref name="intervalSeconds"/> if the caller knows the window.
    /// </summary>
    public static RateEstimate ForReason(ReasonMeasurement reason, Measurement measurement, double? intervalSeconds = null)
    {
        if (reason.RatePerSecond is { } printed)
        {
            return new RateEstimate
            {
                Count = reason.Count,
                PerSecond = printed,
                Note = $"rate printed by {measurement.Format.Name()} (current rate, not count over a window)",
            };
        }

        return PerSecond(reason.Count, intervalSeconds ?? measurement.IntervalSeconds);
    }
}
