using System.Globalization;
using System.Text.RegularExpressions;
using ExitSim.Running;
using ExitSim.Units;

namespace ExitSim.Sweeps;

/// <summary>
/// A service-level objective on a sweep metric, e.g. <c>p99_exit_latency_ns&lt;=50us</c> or
/// <c>guest_time_fraction&gt;=0.9</c>. A point meets it "with 95 % confidence" when the whole
/// confidence interval is on the right side of the target.
/// </summary>
public sealed partial record Slo(string Metric, string Operator, double Target)
{
    /// <summary>The objective as the user wrote it (null when built in code).</summary>
    public string? Text { get; init; }

    public static Slo Parse(string text)
    {
        var m = Pattern().Match(text.Replace(" ", ""));
        if (!m.Success) throw new FormatException($"--slo '{text}': write METRIC<=VALUE (or <, >=, >), e.g. p99_exit_latency_ns<=50us");
        string metric = m.Groups["metric"].Value;
        var names = MetricTable.All.Select(x => x.Name).ToArray();
        if (!names.Contains(metric) && names.Contains(metric + "_ns")) metric += "_ns";   // p99_op_latency<=5ms
        if (!names.Contains(metric))
            throw new FormatException($"--slo '{text}': unknown metric '{metric}'" +
                (Suggest.Closest(metric, names) is { } near ? $" (did you mean {near}?)" : $" (known: {string.Join(", ", names)})"));
        string v = m.Groups["value"].Value;
        double target = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double plain) ? plain
            : UnitParser.Time(v, out _) is { Unit: QuantityUnit.Nanoseconds } t ? t.Value
            : UnitParser.Rate(v, out _) is { } rate ? rate
            : UnitParser.Number(v, out _) is { } n ? (v.EndsWith('%') ? n * 100 : n)
            : throw new FormatException($"--slo '{text}': '{v}' is not a number, a time (50us) or a rate (10k/s)");
        return new Slo(metric, m.Groups["op"].Value, target) { Text = text };
    }

    /// <summary>
    /// Whether a point meets the objective with 95 % confidence (the conservative end of its interval; a
    /// percentile whose interval is unknown is judged by its value).
    /// </summary>
    public bool Met(MetricValue v)
    {
        double ci = v.Ci95 ?? 0;
        return Operator switch
        {
            "<=" => v.Mean + ci <= Target,
            "<" => v.Mean + ci < Target,
            ">=" => v.Mean - ci >= Target,
            _ => v.Mean - ci > Target,
        };
    }

    public override string ToString() => $"{Metric} {Operator} {Target.ToString("R", CultureInfo.InvariantCulture)}";

    [GeneratedRegex(@"^(?<metric>[a-z0-9_]+)(?<op><=|>=|<|>)(?<value>.+)$")]
    private static partial Regex Pattern();
}

/// <summary>
/// The capacity answer: for each combination of the other axes, the largest value of the first
/// axis up to which every point meets the SLO (so a noisy pass beyond a failure does not count).
/// </summary>
public sealed record CapacityAnswer(string[] Others, string? LargestMeeting, int PointsMeeting);

public static class SloSearch
{
    public static IReadOnlyList<CapacityAnswer> Find(SweepResult sweep, Slo slo)
    {
        return sweep.Points
            .GroupBy(p => string.Join("\u0001", p.Values.Skip(1)))
            .Select(g =>
            {
                var ordered = g.OrderBy(p => p.Index).ToArray();   // first axis varies slowest: index order is its order
                string? largest = null;
                int meeting = 0;
                foreach (var p in ordered)
                {
                    if (!slo.Met(p.Metric(slo.Metric))) break;
                    largest = p.Values[0];
                    meeting++;
                }
                return new CapacityAnswer(ordered[0].Values.Skip(1).ToArray(), largest, meeting);
            }).ToArray();
    }
}
