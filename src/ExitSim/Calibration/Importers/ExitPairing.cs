using ExitSim.Model;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// Pairs each trace <c>kvm_exit</c> with the next <c>kvm_entry</c> of the same thread (what perf kvm stat measures) and
/// gathers counts and durations per (reason, path): an exit followed by kvm_userspace_exit went to the VMM.
/// </summary>
internal sealed class ExitPairing
{
    private readonly Dictionary<long, OpenExit> _open = [];
    private readonly Dictionary<(string Reason, bool Userspace), ReasonTally> _tallies = [];
    private int _unpaired;
    private bool _sawUserspaceExit;

    public void Exit(long tid, string reason, long ns, int line)
    {
        if (_open.Remove(tid, out var previous))
        {
            Close(previous, null); // two exits in a row: the first one's entry is missing
        }

        _open[tid] = new OpenExit(reason, ns, line);
    }

    /// <summary>A kvm_userspace_exit: the open exit went to the VMM, unless KVM_RUN only returned for a signal or an error.</summary>
    public void UserspaceExit(long tid, UserspaceExitReasons.Meaning meaning)
    {
        if (!meaning.IsExit)
        {
            return;
        }

        _sawUserspaceExit = true;
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
        foreach (var ((reason, userspace), tally) in _tallies.OrderBy(t => t.Value.FirstLine))
        {
            // With kvm_userspace_exit in the trace, an exit without one stayed in the kernel; without any, the event may
            // not have been enabled and the path is not shown.
            var path = userspace ? ExitPath.Userspace : _sawUserspaceExit ? ExitPath.Kernel : (ExitPath?)null;
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
        var key = (exit.Reason, exit.WentToUserspace);
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
