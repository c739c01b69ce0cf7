using System.Text.RegularExpressions;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// ftrace <c>trace</c>/<c>trace_pipe</c>, <c>trace-cmd report</c> and <c>perf script</c> lines of the kvm tracepoints
/// (arch/x86/kvm/trace.h, include/trace/events/kvm.h). Each <c>kvm_exit</c> is paired with the next <c>kvm_entry</c> on the
/// same thread to give its duration; a <c>kvm_userspace_exit</c> in between marks the exit as having gone to the VMM. A
/// trace without kvm_exit (a host where it never fires, or a capture of some events only) is read from the events KVM
/// emits while handling an exit (<see cref="PartialPairing"/>). Reasons are reported per (reason, path); the window is the
/// first to the last event, and the vCPUs are the threads with vCPU events (<see cref="VcpuThreads"/>).
/// </summary>
public sealed partial class FtraceImporter : IMeasurementImporter
{
    public MeasurementFormat Format => MeasurementFormat.Ftrace;

    public ImportScan Scan(SourceText source, CancellationToken cancel = default)
    {
        var scan = new ScanCollector(source, Format);
        var trace = new TraceState();
        for (var index = 0; index < source.Lines.Count; index++)
        {
            ScanCollector.CheckCancel(index, cancel);
            var line = source.Lines[index];
            var lineNo = index + 1;
            if (SourceText.IsBlank(line) || SourceText.IsComment(line))
            {
                continue;
            }

            if (EventLine().Match(line) is not { Success: true } ev)
            {
                _ = scan.Current ?? scan.Start(lineNo);
                scan.Skip(lineNo, line);
                continue;
            }

            var name = ev.Groups["event"].Value;
            if (name.StartsWith("kvm_", StringComparison.Ordinal))
            {
                scan.Recognised(); // other events are fine in a trace but say nothing about the format
            }

            _ = scan.Current ?? scan.Start(lineNo);
            if (!ReadClock(ev, lineNo, line, scan, trace, out var tid, out var ns))
            {
                continue;
            }

            if (!trace.Read(ev, name, tid, ns, lineNo))
            {
                scan.Skip(lineNo, line);
                continue;
            }

            trace.Count(name, lineNo);
        }

        if (scan.Current is { } measurement)
        {
            trace.Finish(measurement);
        }

        return scan.Finish();
    }

    /// <summary>
    /// The event's thread and time; false (with the problem recorded) when a number is out of range or the time is before
    /// the thread's previous event. Trace tools print events merged in time order, so a thread going back in time is a
    /// shuffled file or two captures concatenated.
    /// </summary>
    private static bool ReadClock(Match ev, int lineNo, string line, ScanCollector scan, TraceState trace, out long tid, out long ns)
    {
        ns = 0;
        var secs = ev.Groups["secs"];
        if (!scan.InRange(Numbers.TryCount(ev.Groups["tid"].Value, out tid), lineNo, line, ev.Groups["tid"].Value, "thread id")
            || !scan.InRange(Numbers.TryTimestampNs(secs.Value, ev.Groups["frac"].Value, out ns), lineNo, line, secs.Value, "timestamp"))
        {
            return false;
        }

        if (trace.Previous(tid) is { } previous && ns < previous.Ns)
        {
            scan.Fail(lineNo, secs.Index + 1,
                $"time {secs.Value}.{ev.Groups["frac"].Value} is before the previous event of thread {tid} (line {previous.Line}): the trace is out of time order "
                + "(shuffled, or two captures concatenated?) (calibrate each capture on its own, as the trace tools print it)");
            return false;
        }

        trace.Saw(tid, ns, lineNo);
        return true;
    }

    /// <summary>What the scan has gathered so far: both pairings (one is used at the end), counters, window, vCPU threads.</summary>
    private sealed class TraceState
    {
        private readonly ExitPairing _exits = new();
        private readonly PartialPairing _partial = new();
        private readonly VcpuThreads _threads = new();
        private readonly Dictionary<long, (long Ns, int Line)> _last = [];
        private readonly Dictionary<string, (long Count, int FirstLine)> _counters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _unknownLayouts = new(StringComparer.Ordinal);
        private long? _firstNs, _lastNs;
        private bool _sawKvmExit;

        public (long Ns, int Line)? Previous(long tid) => _last.TryGetValue(tid, out var p) ? p : null;

        public void Saw(long tid, long ns, int line)
        {
            _last[tid] = (ns, line);
            _firstNs ??= ns;
            _firstNs = Math.Min(_firstNs.Value, ns);
            _lastNs = Math.Max(_lastNs ?? ns, ns);
        }

        /// <summary>Feeds one event to the pairings; false if it is a kvm_exit/kvm_entry whose payload is not in a known layout.</summary>
        public bool Read(Match ev, string name, long tid, long ns, int line)
        {
            var payload = ev.Groups["payload"].Value;
            var comm = ev.Groups["comm"].Value;
            switch (name)
            {
                case "kvm_exit":
                    if (ExitPayload().Match(payload) is not { Success: true } exit)
                    {
                        return false;
                    }

                    _sawKvmExit = true;
                    _exits.Exit(tid, exit.Groups["reason"].Value, ns, line);
                    _threads.Saw(tid, comm, VcpuId(exit.Groups["vcpu"]));
                    return true;
                case "kvm_entry":
                    if (EntryPayload().Match(payload) is not { Success: true } entry)
                    {
                        return false;
                    }

                    _exits.Entry(tid, ns);
                    _partial.Entry(tid, ns);
                    _threads.Saw(tid, comm, VcpuId(entry.Groups["vcpu"]));
                    return true;
                case "kvm_userspace_exit":
                    var meaning = UserspaceExitReasons.Read(payload) ?? new UserspaceExitReasons.Meaning(payload, null, true);
                    _exits.UserspaceExit(tid, meaning);
                    _partial.UserspaceExit(tid, meaning, ns, line);
                    _threads.Saw(tid, comm, null);
                    return true;
                case var _ when TraceAccess.IsAccessEvent(name):
                    if (TraceAccess.Read(name, payload) is { } kind)
                    {
                        _partial.Access(tid, kind, ns, line);
                        _threads.Saw(tid, comm, null);
                    }
                    else
                    {
                        _unknownLayouts[name] = _unknownLayouts.GetValueOrDefault(name) + 1;
                    }

                    return true;
                default:
                    return true;
            }
        }

        public void Count(string name, int line)
        {
            if (name != "kvm_exit")
            {
                _counters[name] = _counters.TryGetValue(name, out var c) ? (c.Count + 1, c.FirstLine) : (1, line);
            }
        }

        public void Finish(MeasurementBuilder trace)
        {
            if (_sawKvmExit)
            {
                _exits.Finish(trace);
            }
            else if (_partial.HasExits)
            {
                _partial.Finish(trace);
            }

            trace.Counters.AddRange(_counters.Select(c => new CounterMeasurement { Name = c.Key, Count = c.Value.Count, SourceLine = c.Value.FirstLine }));
            trace.IntervalSeconds = _firstNs is { } first && _lastNs is { } last ? (last - first) / 1e9 : null;
            trace.Vcpus = _threads.Infer();
            if (trace.UnpairedExits > 0)
            {
                trace.Notes.Add($"{trace.UnpairedExits} kvm_exit event(s) without a later kvm_entry on the same thread: counted, but no duration");
            }

            foreach (var (name, count) in _unknownLayouts)
            {
                trace.Notes.Add($"{count} {name} event(s) in a layout not known here: not used");
            }
        }

        private static int? VcpuId(Group g) => g.Success && int.TryParse(g.Value, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    // "<comm>-<tid> [(<tgid>)] [<cpu>] [<flags>] <secs>.<frac>: [<sys>:]<event>: <payload>"; comm may contain spaces
    // ("CPU 0/KVM-1234"); perf script separates comm and tid with a space instead of '-'.
    [GeneratedRegex(@"^\s*(?<comm>.+?)[-\s](?<tid>\d+)\s+(?:\(\s*(?:\d+|-+)\)\s+)?\[(?<cpu>\d+)\]\s+(?:(?<flags>[^\s\[\]]{1,5})\s+)?(?<secs>\d+)\.(?<frac>\d+):\s+(?:\w+:)?(?<event>\w+):\s*(?<payload>.*?)\s*$")]
    private static partial Regex EventLine();

    // new: "vcpu N reason R rip 0x.. info1 ..."; old: "reason R rip 0x.. info A B"; SVM names may contain spaces ("PF excp").
    [GeneratedRegex(@"^(?:vcpu\s+(?<vcpu>\d+)\s+)?reason\s+(?<reason>\S(?:.*?\S)?)\s+rip\s+0x[0-9a-fA-F]+")]
    private static partial Regex ExitPayload();

    // "vcpu N" (≤5.8) or "vcpu N, rip 0x.." with optional "[immediate exit]" and later fields.
    [GeneratedRegex(@"^vcpu\s+(?<vcpu>\d+)(?:,\s*rip\s+0x[0-9a-fA-F]+)?")]
    private static partial Regex EntryPayload();
}
