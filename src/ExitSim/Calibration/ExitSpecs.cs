using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Units;

namespace ExitSim.Calibration;

/// <summary>
/// The writing step: calibrated (reason, path) rows become the scenario's <c>exits:</c>, one entry per reason, with a
/// comment for each number. A reason seen on both paths keeps both rates and costs.
/// </summary>
internal static class ExitSpecs
{
    public static List<ExitSpec> Build(IReadOnlyList<CalibratedPath> paths, Dictionary<string, string> notes)
    {
        var exits = new List<ExitSpec>();
        foreach (var reason in paths.GroupBy(p => p.Row.Info.Name))
        {
            var rows = reason.ToList();
            exits.Add(rows.Count == 1 ? Single(rows[0], notes) : Mixed(reason.Key, rows, notes));
        }

        return exits;
    }

    private static ExitSpec Single(CalibratedPath p, Dictionary<string, string> notes)
    {
        var name = p.Row.Info.Name;
        notes[$"{name}.rate"] = p.RateNote;
        notes[$"{name}.handle"] = p.Cost.Note;
        if (p.Row.Path == ExitPath.Userspace)
        {
            notes[$"{name}.emulate"] = "the VMM's time is inside the measured exit time above (each vCPU has its own QEMU thread)";
        }

        return new ExitSpec
        {
            Reason = name,
            Occurrence = new Occurrence { Rate = CleanNumbers.Rate(p.Rate), Clock = p.Clock },
            Path = p.Row.Path,
            Costs = Costs(p.Row.Path, p.Cost.Handle),
        };
    }

    /// <summary>
    /// Both paths of one reason in a scenario schema with one path per reason: one rate (the sum) on the path most exits
    /// take, and a handle that is each path's cost with the probability of its share of the exits, so the rate and the
    /// mean cost of the reason are kept (the costs do not depend on the path once emulate is 0).
    /// </summary>
    private static ExitSpec Mixed(string name, List<CalibratedPath> rows, Dictionary<string, string> notes)
    {
        var total = rows.Sum(r => r.Rate);
        var main = rows.MaxBy(r => r.Rate)!;
        var weights = Weights(rows.Select(r => r.Rate / total).ToArray());
        var mix = new MixtureDistribution(rows.Select((r, i) => new MixtureComponent(weights[i], r.Cost.Handle)).ToEquatableArray());
        var each = string.Join("; ", rows.Select(r => $"{r.Row.PathName}: {r.RateNote}"));
        notes[$"{name}.rate"] = $"both paths together ({each})";
        notes[$"{name}.path"] = "the measurement shows this reason on both paths; this scenario schema has one path per reason, so it takes the path most exits took and the mix below keeps each path's share and cost";
        notes[$"{name}.handle"] = string.Join(" | ", rows.Select(r => $"{r.Row.PathName} ({UnitFormat.Number((double)weights[rows.IndexOf(r)])}): {r.Cost.Note}"));
        if (main.Row.Path == ExitPath.Userspace)
        {
            notes[$"{name}.emulate"] = "the VMM's time is inside the measured exit times above (each vCPU has its own QEMU thread)";
        }

        return new ExitSpec
        {
            Reason = name,
            Occurrence = new Occurrence { Rate = CleanNumbers.Rate(total), Clock = main.Clock },
            Path = main.Row.Path,
            Costs = Costs(main.Row.Path, mix),
        };
    }

    private static PhaseCosts Costs(ExitPath path, Distribution handle) => new()
    {
        Handle = handle,
        Emulate = path == ExitPath.Userspace ? new ConstantDistribution(Quantity.Ns(0)) : null,
    };

    /// <summary>Shares rounded to four decimals, each at least 0.0001, summing to exactly 1 (the largest takes the remainder).</summary>
    private static double[] Weights(double[] shares)
    {
        var rounded = shares.Select(s => Math.Max(0.0001m, Math.Round((decimal)s, 4))).ToArray();
        var largest = Array.IndexOf(shares, shares.Max());
        rounded[largest] = 1m - rounded.Where((_, i) => i != largest).Sum();
        return rounded.Select(w => (double)w).ToArray();
    }
}
