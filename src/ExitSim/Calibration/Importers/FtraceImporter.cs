using System.Text.RegularExpressions;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// ftrace <c>trace</c>/<c>trace_pipe</c>, <c>trace-cmd report</c> and <c>perf script</c> lines of the kvm tracepoints
/// (docs/kvm-facts.md §1.3). Each <c>kvm_exit</c> is paired with the next <c>kvm_entry</c> on the same thread to give its duration;
/// a <c>kvm_userspace_exit</c> in between marks the exit as having gone to the VMM. Reasons are reported per (reason, path).
/// </summary>
public sealed partial class FtraceImporter : IMeasurementImporter
{
    public MeasurementFormat Format => MeasurementFormat.Ftrace;

    public ImportScan Scan(SourceText source)
    {
        var scan = new ScanCollector(source, Format);
        var pairing = new ExitPairing();
        var counters = new Dictionary<string, (long Count, int FirstLine)>(StringComparer.Ordinal);
        long? firstNs = null, lastNs = null;

        for (var index = 0; index < source.Lines.Count; index++)
        {
            var line = source.Lines[index];
            var lineNo = index + 1;
            if (SourceText.IsBlank(line) || SourceText.IsComment(line))
            {
                continue;
            }

            if (EventLine().Match(line) is not { Success: true } ev || !TryReadEvent(ev, lineNo, pairing))
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
            var ns = TimestampNs(ev);
            firstNs ??= ns;
            lastNs = ns;
            if (name != "kvm_exit")
            {
                counters[name] = counters.TryGetValue(name, out var c) ? (c.Count + 1, c.FirstLine) : (1, lineNo);
            }
        }

        if (scan.Current is { } trace)
        {
            pairing.Finish(trace);
            trace.Counters.AddRange(counters.Select(c => new CounterMeasurement { Name = c.Key, Count = c.Value.Count, SourceLine = c.Value.FirstLine }));
            trace.IntervalSeconds = firstNs is { } first && lastNs is { } last ? (last - first) / 1e9 : null;
            if (trace.UnpairedExits > 0)
            {
                trace.Notes.Add($"{trace.UnpairedExits} kvm_exit event(s) without a later kvm_entry on the same thread: counted, but no duration");
            }
        }

        return scan.Finish();
    }

    /// <summary>Feeds one event to the pairing; false if it is a kvm_exit/kvm_entry whose payload is not in a known format.</summary>
    private static bool TryReadEvent(Match ev, int lineNo, ExitPairing pairing)
    {
        var tid = Numbers.Long(ev.Groups["tid"].Value);
        var payload = ev.Groups["payload"].Value;
        switch (ev.Groups["event"].Value)
        {
            case "kvm_exit":
                if (ExitPayload().Match(payload) is not { Success: true } exit)
                {
                    return false;
                }

                pairing.Exit(tid, exit.Groups["reason"].Value, TimestampNs(ev), lineNo);
                return true;
            case "kvm_entry":
                if (!EntryPayload().IsMatch(payload))
                {
                    return false;
                }

                pairing.Entry(tid, TimestampNs(ev));
                return true;
            case "kvm_userspace_exit":
                pairing.UserspaceExit(tid);
                return true;
            default:
                return true;
        }
    }

    /// <summary><c>secs.usecs</c> (or 9-digit <c>secs.nsecs</c>) as integer ns, so differences are exact.</summary>
    private static long TimestampNs(Match ev)
    {
        var fraction = ev.Groups["frac"].Value;
        var nanos = fraction.Length >= 9 ? fraction[..9] : fraction.PadRight(9, '0');
        return Numbers.Long(ev.Groups["secs"].Value) * 1_000_000_000L + Numbers.Long(nanos);
    }

    // "<comm>-<tid> [(<tgid>)] [<cpu>] [<flags>] <secs>.<frac>: [<sys>:]<event>: <payload>"; comm may contain spaces
    // ("CPU 0/KVM-1234"); perf script separates comm and tid with a space instead of '-'.
    [GeneratedRegex(@"^\s*(?<comm>.+?)[-\s](?<tid>\d+)\s+(?:\(\s*(?:\d+|-+)\)\s+)?\[(?<cpu>\d+)\]\s+(?:(?<flags>[^\s\[\]]{1,5})\s+)?(?<secs>\d+)\.(?<frac>\d+):\s+(?:\w+:)?(?<event>\w+):\s*(?<payload>.*?)\s*$")]
    private static partial Regex EventLine();

    // new: "vcpu N reason R rip 0x.. info1 ..."; old: "reason R rip 0x.. info A B"; SVM names may contain spaces ("PF excp").
    [GeneratedRegex(@"^(?:vcpu\s+\d+\s+)?reason\s+(?<reason>\S(?:.*?\S)?)\s+rip\s+0x[0-9a-fA-F]+")]
    private static partial Regex ExitPayload();

    // "vcpu N" (≤5.8) or "vcpu N, rip 0x.." with optional "[immediate exit]" and later fields.
    [GeneratedRegex(@"^vcpu\s+\d+(?:,\s*rip\s+0x[0-9a-fA-F]+)?")]
    private static partial Regex EntryPayload();
}
