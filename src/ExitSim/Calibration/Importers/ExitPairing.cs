using ExitSim.Model;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// Pairs each trace <c>kvm_exit</c> with the next <c>kvm_entry</c> of the same thread (what perf kvm stat measures) and
/// gathers counts and durations per (reason, path).
/// </summary>
internal sealed class ExitPairing
{
    private readonly Dictionary<long, OpenExit> _open = [];
    private readonly Dictionary<(string Reason, ExitPath? Path), ReasonTally> _tallies = [];
    private int _unpaired;

    public void Exit(long tid, string reason, long ns, int line)
    {
        if (_open.Remove(tid, out var previous))
        {
            Close(previous, null); // two exits in a row: the first one's entry is missing
        }

        _open[tid] = new OpenExit(reason, ns, line);
    }

    public void UserspaceExit(long tid)
    {
        if (_open.TryGetValue(tid, out var exit))
        {
            _open[tid] = exit with { WentToUserspace = true };
        }
    }

    public void Entry(long tid, long ns)
    {
        if (_open.Remove(tid, out var exit))
        {
            Close(exit, ns - exit.Ns);
        }
    }

    /// <summary>Exits still open at the end have no entry; writes one reason row per (reason, path) in order of first appearance.</summary>
    public void Finish(MeasurementBuilder trace)
    {
        foreach (var exit in _open.Values.OrderBy(e => e.Line))
        {
            Close(exit, null);
        }

        _open.Clear();
        foreach (var ((reason, path), tally) in _tallies.OrderBy(t => t.Value.FirstLine))
        {
            trace.Reasons.Add(new ReasonMeasurement
            {
                Name = reason,
                Count = tally.Count,
                Durations = tally.Durations.ToArray(),
                MeanNs = tally.Durations.Count > 0 ? tally.Durations.Average() : null,
                MinNs = tally.Durations.Count > 0 ? tally.Durations.Min() : null,
                MaxNs = tally.Durations.Count > 0 ? tally.Durations.Max() : null,
                SourceLine = tally.FirstLine,
                Path = path,
            });
            trace.VendorEvidence.Add(reason);
        }

        trace.UnpairedExits += _unpaired;
        _unpaired = 0;
    }

    private void Close(OpenExit exit, long? durationNs)
    {
        var key = (exit.Reason, exit.WentToUserspace ? ExitPath.Userspace : (ExitPath?)null);
        if (!_tallies.TryGetValue(key, out var tally))
        {
            tally = new ReasonTally(exit.Line);
            _tallies[key] = tally;
        }

        tally.Count++;
        tally.FirstLine = Math.Min(tally.FirstLine, exit.Line);
        if (durationNs is { } ns)
        {
            tally.Durations.Add(ns);
        }
        else
        {
            _unpaired++;
        }
    }

    private sealed record OpenExit(string Reason, long Ns, int Line, bool WentToUserspace = false);

    private sealed class ReasonTally(int firstLine)
    {
        public int FirstLine { get; set; } = firstLine;

        public long Count { get; set; }

        public List<double> Durations { get; } = [];
    }
}
