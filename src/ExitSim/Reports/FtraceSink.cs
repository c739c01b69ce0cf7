using System.Globalization;
using ExitSim.Model;
using ExitSim.Simulation;

namespace ExitSim.Reports;

/// <summary>
/// Streams a replication's exits as ftrace lines (<see cref="FtraceWriter"/> says what they show) while it
/// runs, in timestamp order, holding only the lines that may still have an earlier one to come. A vCPU's
/// exits are reported one after another as they end, and its next exit starts after the last one ended, so
/// no line earlier than the smallest "last exit end" over the vCPUs can still arrive: everything before
/// that watermark is written. The buffer holds the lines of about the longest exit in progress (a halt
/// lasts until the next timer tick or interrupt), not the run.
/// </summary>
public sealed class FtraceSink : IExitSink
{
    private const double BootOffsetSeconds = 1000; // a plausible uptime, so timestamps look like a host's

    /// <summary>One line to write: which of the exit's events (kvm_exit, access, kvm_userspace_exit, kvm_entry).</summary>
    private readonly record struct Line(ExitRecord Exit, LineKind Kind, bool Userspace);

    private enum LineKind { Exit, Access, Userspace, Entry }

    private readonly TextWriter _w;
    private readonly SimulationModel _model;
    private readonly PriorityQueue<Line, (double Time, int Vcpu, int Order)> _pending = new();
    private readonly double[] _lastEnd;
    private readonly CultureInfo _inv = CultureInfo.InvariantCulture;
    private readonly int _drainEvery;
    private int _sinceDrain;
    private bool _finished;

    /// <summary>Writes the header; the lines follow as the replication reports its exits.</summary>
    public FtraceSink(TextWriter w, SimulationModel model, string scenario, ulong seed) : this(w, model, scenario, seed, 1024) { }

    /// <param name="drainEvery">Exits between two writes of what is before the watermark (int.MaxValue: all at the end, a full sort).</param>
    internal FtraceSink(TextWriter w, SimulationModel model, string scenario, ulong seed, int drainEvery)
    {
        _drainEvery = drainEvery;
        _w = w;
        _model = model;
        _lastEnd = new double[model.VcpuCount];
        w.Write($"# tracer: nop\n#\n# exported by exitsim from scenario '{scenario}', seed {seed}, replication 0 (simulated, not measured)   #P:{model.Scenario.Host.Cores}\n#\n");
    }

    /// <summary>Lines written so far.</summary>
    public long Lines { get; private set; }

    public void OnExit(in ExitRecord e)
    {
        double exitAt = e.Start + e.Save;
        bool userspace = (e.Site >= 0 ? _model.Sites[e.Site].Path : _model.Reasons[e.Reason].Path) == ExitPath.Userspace;
        _pending.Enqueue(new Line(e, LineKind.Exit, userspace), (exitAt, e.Vcpu, 0));
        if (FtraceWriter.Access(_model.Reasons[e.Reason].Name, userspace, Coalesced(e)) is not null)
            _pending.Enqueue(new Line(e, LineKind.Access, userspace), (exitAt + e.Handle / 2, e.Vcpu, 1));
        if (userspace) _pending.Enqueue(new Line(e, LineKind.Userspace, userspace), (exitAt + e.Handle, e.Vcpu, 2));
        _pending.Enqueue(new Line(e, LineKind.Entry, userspace), (e.End - e.Reenter, e.Vcpu, 3));
        _lastEnd[e.Vcpu] = Math.Max(_lastEnd[e.Vcpu], e.End);
        if (++_sinceDrain >= _drainEvery)
        {
            _sinceDrain = 0;
            double watermark = _lastEnd.Min();
            while (_pending.TryPeek(out _, out var at) && at.Time < watermark) WriteNext();
        }
    }

    private bool Coalesced(in ExitRecord e) => e.Site >= 0 && _model.Sites[e.Site].Coalesced;

    /// <summary>Writes what is still held (the run is over) and a closing comment with the count.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        while (_pending.Count > 0) WriteNext();
        _w.Write($"# {Lines} lines\n");
    }

    private void WriteNext()
    {
        _pending.TryDequeue(out var line, out var at);
        var e = line.Exit;
        string reason = _model.Reasons[e.Reason].Name;
        string stamp = (BootOffsetSeconds + at.Time / 1e9).ToString("0.000000000", _inv);
        _w.Write($"{$"CPU {e.Vcpu}/KVM-{2000 + e.Vcpu}",24} [{e.Vcpu % 1000:000}] d.... {stamp}: ");
        _w.Write(line.Kind switch
        {
            LineKind.Exit => $"kvm_exit: vcpu {e.Vcpu} reason {reason} rip 0xffffffff81000000 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000",
            LineKind.Userspace => $"kvm_userspace_exit: reason {FtraceWriter.UserspaceReason(reason)}",
            LineKind.Access => FtraceWriter.Access(reason, line.Userspace, Coalesced(e))!,
            _ => $"kvm_entry: vcpu {e.Vcpu}, rip 0xffffffff81000000",
        });
        _w.Write('\n');
        Lines++;
    }
}
