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
            exits.Add(rows.Count == 1 ? Single(rows[0], notes) : Several(reason.Key, rows, notes));
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
            notes[$"{name}.emulate"] = EmulateNote(p);
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
    /// A reason the measurement shows on both paths (an ioeventfd-claimed port and an emulated register, say): each path
    /// keeps its own rate and cost under <c>paths:</c>.
    /// </summary>
    private static ExitSpec Several(string name, List<CalibratedPath> rows, Dictionary<string, string> notes)
    {
        notes[name] = "measured on both paths: each keeps its own rate and cost";
        var paths = new List<PathSpec>();
        foreach (var p in rows.OrderBy(r => r.Row.Path == ExitPath.Kernel ? 0 : 1))
        {
            var key = $"{name}.paths.{p.Row.PathName}";
            notes[$"{key}.rate"] = p.RateNote;
            notes[$"{key}.handle"] = p.Cost.Note;
            if (p.Row.Path == ExitPath.Userspace)
            {
                notes[$"{key}.emulate"] = EmulateNote(p);
            }

            paths.Add(new PathSpec
            {
                Path = p.Row.Path,
                Occurrence = new Occurrence { Rate = CleanNumbers.Rate(p.Rate), Clock = p.Clock },
                Costs = Costs(p.Row.Path, p.Cost.Handle),
            });
        }

        return new ExitSpec { Reason = name, Paths = paths.ToEquatableArray() };
    }

    /// <summary>A trace times the VMM's work inside the exit; a partial trace does not show it at all.</summary>
    private static string EmulateNote(CalibratedPath p) => p.Cost.Family == "partial"
        ? "the VMM's own work is not in the trace: 0 here (give it if you know it)"
        : "the VMM's time is inside the measured exit time (each vCPU has its own QEMU thread)";

    private static PhaseCosts Costs(ExitPath path, Distribution handle) => new()
    {
        Handle = handle,
        Emulate = path == ExitPath.Userspace ? new ConstantDistribution(Quantity.Ns(0)) : null,
    };
}
