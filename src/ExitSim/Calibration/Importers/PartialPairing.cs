using ExitSim.Model;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// Exits from a trace without kvm_exit, per thread, from the events KVM emits while handling them (how they are read:
/// docs/calibration.md). An exit starts at an access event (kvm_pio, kvm_mmio, kvm_fast_mmio, kvm_msr), or at a
/// kvm_userspace_exit that no access event announced (a PIO read, whose kvm_pio fires only once QEMU supplied the value).
/// It went to userspace when a kvm_userspace_exit follows on its thread. Its end is marked by kvm_entry, or for a read
/// that went to userspace by the read's completion (kvm_pio read, kvm_mmio read), which KVM traces on re-entry just before
/// it enters the guest (x86.c complete_emulator_pio_in, read_prepare). An exit with no such mark ends somewhere before the
/// thread's next exit event: that gap bounds it from above.
/// </summary>
internal sealed class PartialPairing
{
    private readonly Dictionary<long, OpenExit> _open = [];
    private readonly Dictionary<(string Reason, bool Userspace), Tally> _tallies = [];
    private readonly Dictionary<string, int> _unattributed = new(StringComparer.Ordinal);
    private int _notExits;
    private bool _sawUserspaceExit;

    /// <summary>True once any exit was seen.</summary>
    public bool HasExits => _tallies.Count > 0 || _open.Count > 0;

    public void Access(long tid, AccessKind kind, long ns, int line)
    {
        if (_open.TryGetValue(tid, out var open) && open.CompletedBy(kind))
        {
            _open[tid] = open with { ReturnedAt = ns };
            return;
        }

        Close(tid, nextExitAt: ns);
        _open[tid] = new OpenExit(TraceAccess.Reason(kind), kind, ns, line);
    }

    public void UserspaceExit(long tid, UserspaceExitReasons.Meaning meaning, long ns, int line)
    {
        _sawUserspaceExit = true;
        if (!meaning.IsExit)
        {
            _notExits++;
            return;
        }

        if (_open.TryGetValue(tid, out var open) && open is { UserspaceAt: null, ReturnedAt: null }
            && (meaning.Reason is null || meaning.Reason == open.Reason))
        {
            _open[tid] = open with { UserspaceAt = ns };
            return;
        }

        Close(tid, nextExitAt: ns);
        if (meaning.Reason is null)
        {
            _unattributed[meaning.Name] = _unattributed.GetValueOrDefault(meaning.Name) + 1;
            return;
        }

        _open[tid] = new OpenExit(meaning.Reason, null, null, line) { UserspaceAt = ns };
    }

    public void Entry(long tid, long ns)
    {
        if (_open.Remove(tid, out var open))
        {
            Record(open, ns, nextExitAt: null);
        }
    }

    /// <summary>Writes one reason row per (reason, path), in order of first appearance, and notes what was not attributed.</summary>
    public void Finish(MeasurementBuilder trace)
    {
        foreach (var open in _open.Values.OrderBy(e => e.Line))
        {
            Record(open, null, null);
        }

        _open.Clear();
        foreach (var ((reason, userspace), t) in _tallies.OrderBy(t => t.Value.FirstLine))
        {
            var complete = t.Durations.ToArray();
            trace.Reasons.Add(new ReasonMeasurement
            {
                Name = reason,
                SourceName = string.Join("+", t.Events.Order(StringComparer.Ordinal)),
                Count = t.Count,
                Durations = complete,
                MeanNs = complete.Length > 0 ? complete.Average() : null,
                MinNs = complete.Length > 0 ? complete.Min() : null,
                MaxNs = complete.Length > 0 ? complete.Max() : null,
                SourceLine = t.FirstLine,
                // Without any kvm_userspace_exit in the trace the event may simply not have been enabled: path unknown.
                Path = userspace ? ExitPath.Userspace : _sawUserspaceExit ? ExitPath.Kernel : null,
                Partial = t.Count == complete.Length ? null : new PartialTiming
                {
                    Unmarked = t.Unmarked,
                    ToUserspaceNs = [.. t.ToUserspace],
                    RoundTripNs = [.. t.RoundTrips],
                    RestBoundNs = [.. t.RestBounds],
                },
            });
        }

        trace.Notes.Add("no kvm_exit events: exits are read from kvm_pio, kvm_mmio, kvm_fast_mmio, kvm_msr and kvm_userspace_exit "
                        + "(reasons named as on VMX; an instruction KVM emulated counts by what it accessed)");
        if (!_sawUserspaceExit)
        {
            trace.Notes.Add("no kvm_userspace_exit events: whether an exit went to userspace is not shown, so each reason takes its usual path");
        }

        if (_notExits > 0)
        {
            trace.Notes.Add($"{_notExits} kvm_userspace_exit event(s) with reason restart/error/KVM_EXIT_INTR: KVM_RUN interrupted by a signal or failing, not exits");
        }

        foreach (var (name, count) in _unattributed.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            trace.Notes.Add($"{count} kvm_userspace_exit event(s) with reason {name} and no access event before them: no exit reason known for it, not in the scenario");
        }
    }

    /// <summary>Ends the thread's open exit because another one starts at <paramref name="nextExitAt"/>.</summary>
    private void Close(long tid, long nextExitAt)
    {
        if (_open.Remove(tid, out var open))
        {
            Record(open, null, nextExitAt);
        }
    }

    private void Record(OpenExit exit, long? entryAt, long? nextExitAt)
    {
        var key = (exit.Reason, exit.UserspaceAt is not null);
        if (!_tallies.TryGetValue(key, out var t))
        {
            t = new Tally(exit.Line);
            _tallies[key] = t;
        }

        t.Count++;
        t.Events.Add(exit.Kind is { } k ? EventName(k) : "kvm_userspace_exit");
        var end = exit.ReturnedAt ?? entryAt;
        if (exit.Start is { } start && end is { } e)
        {
            t.Durations.Add(e - start);
            return;
        }

        t.Unmarked += end is null ? 1 : 0;
        if (exit.Start is { } s && exit.UserspaceAt is { } u)
        {
            t.ToUserspace.Add(u - s);
        }

        if (exit.UserspaceAt is { } back && end is { } marked)
        {
            t.RoundTrips.Add(marked - back);
        }

        if (end is null && nextExitAt is { } next && (exit.UserspaceAt ?? exit.Start) is { } last)
        {
            t.RestBounds.Add(next - last);
        }
    }

    private static string EventName(AccessKind kind) => kind switch
    {
        AccessKind.PioWrite or AccessKind.PioRead => "kvm_pio",
        AccessKind.FastMmio => "kvm_fast_mmio",
        AccessKind.MsrRead or AccessKind.MsrWrite => "kvm_msr",
        _ => "kvm_mmio",
    };

    /// <summary>An exit in progress on a thread; <see cref="Start"/> is null when it began at its kvm_userspace_exit.</summary>
    private sealed record OpenExit(string Reason, AccessKind? Kind, long? Start, int Line)
    {
        public long? UserspaceAt { get; init; }

        public long? ReturnedAt { get; init; }

        /// <summary>A read that went to userspace completes with the same access, traced on the way back in.</summary>
        public bool CompletedBy(AccessKind kind) => UserspaceAt is not null && ReturnedAt is null && (kind, Reason, Kind) switch
        {
            (AccessKind.PioRead, "IO_INSTRUCTION", null or AccessKind.PioRead) => true,
            (AccessKind.MmioRead, "EPT_MISCONFIG", null or AccessKind.MmioUnsatisfiedRead) => true,
            _ => false,
        };
    }

    private sealed class Tally(int firstLine)
    {
        public int FirstLine { get; } = firstLine;

        public long Count { get; set; }

        public long Unmarked { get; set; }

        public HashSet<string> Events { get; } = new(StringComparer.Ordinal);

        public List<double> Durations { get; } = [];

        public List<double> ToUserspace { get; } = [];

        public List<double> RoundTrips { get; } = [];

        public List<double> RestBounds { get; } = [];
    }
}
