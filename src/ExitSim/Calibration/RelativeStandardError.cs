namespace ExitSim.Calibration;

/// <summary>
/// perf kvm stat's <c>( +- x% )</c> column. In tools/perf/util/stat.c, <c>stddev_stats</c> returns
/// sqrt(M2/(n−1)/n), the standard error of the mean, and <c>rel_stddev_stats</c> divides it by the
/// mean ×100. So x is the relative standard error of the mean, not the per-sample spread.
/// </summary>
public static class RelativeStandardError
{
    /// <summary>Per-sample coefficient of variation: cv = x/100 · √n.</summary>
    public static double ToCv(double relStdErrPct, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(relStdErrPct);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2L); // perf prints 0 for n < 2: no spread is known
        return relStdErrPct / 100.0 * Math.Sqrt(count);
    }

    /// <summary>The inverse: the relative standard error in percent that perf would print for this cv and n.</summary>
    public static double FromCv(double cv, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cv);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2L);
        return cv / Math.Sqrt(count) * 100.0;
    }
}
