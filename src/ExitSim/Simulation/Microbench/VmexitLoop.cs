using ExitSim.Engine;
using ExitSim.Randomness;
using ExitSim.Scenarios;
using ExitSim.Simulation.Vcpus;
using ExitSim.Statistics;

namespace ExitSim.Simulation.Microbench;

/// <summary>
/// Replays one kvm-unit-tests x86/vmexit.c test on vCPU 0, iteration after iteration; each iteration is one
/// operation, from the end of the previous one to its own end. The guest's own steps are tasks on the vCPUs'
/// guest clocks; its exits are follow-up exits through the replication's phases, on the sites the model chose
/// from the host's rules, so nothing here decides what an exit costs or whether it happens:
/// <list type="bullet">
/// <item>cpuid, vmcall: loop, then the instruction's exit; the iteration ends at re-entry.</item>
/// <item>ipi (<c>on_cpu(1, nop, 0)</c>, lib/x86/smp.c): loop, then the ICR write (an exit unless IPIv sends it);
/// the IPI reaches vCPU 1, which runs (never halts, as in the IPIv cover letter's modified AP); posted, it is
/// delivered without an exit, else as EXTERNAL_INTERRUPT and injected at entry. Its handler sets ipi_done, then
/// writes EOI; the sender, spinning, sees ipi_done <c>ack</c> later, and that ends the iteration.</item>
/// <item>tscdeadline_immed (<c>wrmsr(TSC_DEADLINE, rdtsc())</c>): loop, the MSR write's exit; the deadline has passed
/// when KVM arms the timer, so KVM injects the interrupt at entry (arch/x86/kvm/lapic.c start_hv_timer); the
/// handler (x++, EOI) ends it.</item>
/// <item>tscdeadline (<c>rdtsc()+3000</c>, then <c>while (x == 0)</c>): the same write, then the guest spins until the
/// deadline, the timer's exit, injection at entry, the handler.</item>
/// </list>
/// Other vCPUs stay in the guest without exits. kvm-unit-tests does not enable PV EOI.
/// </summary>
internal sealed class VmexitLoop
{
    // ExitAction.Microbenchmark and EventKind.Microbenchmark arguments: (step << 8) | vCPU.
    private const int Done = 1, IpiSent = 2, Armed = 3, Inject = 4, AckSeen = 5, TimerFires = 6;

    private readonly Replication _sim;
    private readonly EventQueue _queue;
    private readonly MeasurementWindow _window;
    private readonly VmexitModel _m;
    private readonly Vcpu[] _vcpus;
    private readonly RandomStream[] _rng;
    private readonly bool[] _inHandler;
    private double _start;
    /// <summary>The TSC deadline of the timer tests' current iteration (rdtsc() before the write, plus the test's lead).</summary>
    private double _deadline;

    public VmexitLoop(Replication sim, EventQueue queue, MeasurementWindow window, VmexitModel model, Vcpu[] vcpus, ulong seed, int replication)
    {
        _sim = sim;
        _queue = queue;
        _window = window;
        _m = model;
        _vcpus = vcpus;
        _rng = vcpus.Select(v => RandomStream.For(seed, replication, StreamId.Microbenchmark, v.Index)).ToArray();
        _inHandler = new bool[vcpus.Length];
    }

    public long Completed { get; private set; }
    public double LatencySum { get; private set; }
    public LogHistogram Latency { get; } = new();
    /// <summary>IPIs delivered as posted interrupts in the window.</summary>
    public long Posted { get; private set; }
    public long Interrupts { get; private set; }

    /// <summary>The first iteration starts at time 0, before the vCPUs enter.</summary>
    public void Start() => _vcpus[0].TaskEnd = _m.Loop.Sample(_rng[0]);

    private static int Arg(int step, int vcpu) => (step << 8) | vcpu;

    /// <summary>A vCPU's guest task ended at <paramref name="t"/> (the replication resumes it afterwards).</summary>
    public void OnTaskEnd(Vcpu v, double t)
    {
        v.TaskEnd = double.PositiveInfinity;
        if (_inHandler[v.Index])
        {
            _inHandler[v.Index] = false;
            EndHandler(v, t);
            return;
        }
        // vCPU 0's loop is over: the test's own instruction.
        switch (_m.Test)
        {
            case VmexitTest.Cpuid or VmexitTest.Vmcall:
                v.FollowUps.Push(_m.SiteTest, ExitAction.Microbenchmark, Arg(Done, 0));
                break;
            case VmexitTest.Ipi when _m.SiteIcr >= 0:
                v.FollowUps.Push(_m.SiteIcr, ExitAction.Microbenchmark, Arg(IpiSent, 0));
                break;
            case VmexitTest.Ipi:
                SendIpi(t);   // IPIv: the CPU posts it, the sender carries on
                break;
            default:
                // rdtsc() is read just before the write: the deadline counts from here.
                _deadline = t + (_m.Test == VmexitTest.Tscdeadline ? _m.DeadlineNs : 0);
                v.FollowUps.Push(_m.SiteArm, ExitAction.Microbenchmark, Arg(Armed, 0));
                break;
        }
    }

    /// <summary>KVM has handled one of the iteration's exits at <paramref name="t"/> (the vCPU's re-entry is known).</summary>
    public void OnExitHandled(int arg, double t)
    {
        var v = _vcpus[arg & 0xff];
        switch (arg >> 8)
        {
            case Done:
                Complete(v.ResumeAt);
                break;
            case IpiSent:
                SendIpi(t);
                break;
            case Armed when _deadline <= t:
                // Already due when KVM arms the timer: apic_timer_expired, injected at this entry.
                StartHandler(v, v.GuestClockAtResume, 0);
                break;
            case Armed:
                _queue.Schedule(_deadline, EventKind.Microbenchmark, Arg(TimerFires, 0));
                break;
            case Inject:
                StartHandler(v, v.GuestClockAtResume, v.Index == 0 ? 0 : _m.Delivery.Sample(_rng[v.Index]));
                break;
        }
    }

    /// <summary>A wall-time step: the sender sees the ACK, or the timer's deadline comes.</summary>
    public void OnEvent(int arg, double t)
    {
        var v = _vcpus[arg & 0xff];
        if (arg >> 8 == AckSeen)
        {
            // Spinning in the guest it sees ipi_done now; still in its exit, when it re-enters.
            Complete(Math.Max(t, v.ResumeAt));
            return;
        }
        if (_m.SiteFire < 0)
        {
            // Posted (pi_inject_timer): no exit; a vCPU in the guest takes it now, one in root mode at its entry.
            StartHandler(v, v.GuestClockAtResume + Math.Max(0, t - v.ResumeAt), 0);
            return;
        }
        if (v.InGuest(t))
        {
            double g = v.LeaveGuest(t);
            _sim.BeginExit(v, _m.SiteFire, t, g, ExitAction.Microbenchmark, Arg(Inject, 0));
        }
        else if (_m.FiresAtEntry) v.FollowUps.PushFront(_m.SiteFire, ExitAction.Microbenchmark, Arg(Inject, 0));
        else StartHandler(v, v.GuestClockAtResume, 0);   // AMD: the hrtimer fired in root mode; injected at entry
    }

    private void SendIpi(double t)
    {
        var target = _vcpus[1];
        if (_window.Counts(t)) Interrupts++;
        if (!target.InGuest(t))
        {
            StartHandler(target, target.GuestClockAtResume, _m.Delivery.Sample(_rng[1]));   // in an exit: injected at its entry
            return;
        }
        if (_m.SiteExternalInterrupt < 0)
        {
            if (_window.Counts(t)) Posted++;
            StartHandler(target, target.GuestClockAtResume + (t - target.ResumeAt), _m.Delivery.Sample(_rng[1]));
            return;
        }
        double g = target.LeaveGuest(t);
        _sim.BeginExit(target, _m.SiteExternalInterrupt, t, g, ExitAction.Microbenchmark, Arg(Inject, 1));
    }

    /// <summary>The handler starts <paramref name="delay"/> after guest clock <paramref name="g"/> (its vectoring).</summary>
    private void StartHandler(Vcpu v, double g, double delay)
    {
        _inHandler[v.Index] = true;
        v.TaskEnd = g + delay + _m.Handler.Sample(_rng[v.Index]);
        _sim.ScheduleNext(v);
    }

    private void EndHandler(Vcpu v, double t)
    {
        if (v.Index != 0)
        {
            // The ipi target: ipi_done = 1, then EOI (lib/x86/smp.c ipi()).
            _queue.Schedule(t + _m.Ack.Sample(_rng[1]), EventKind.Microbenchmark, Arg(AckSeen, 0));
            if (_m.SiteEoi >= 0) v.FollowUps.Push(_m.SiteEoi);
            return;
        }
        // The timer tests' handler on vCPU 0: x++, EOI; the loop then sees x.
        if (_m.SiteEoi >= 0) v.FollowUps.Push(_m.SiteEoi, ExitAction.Microbenchmark, Arg(Done, 0));
        else Complete(t);
    }

    /// <summary>The iteration ends at <paramref name="end"/>; the next starts there on vCPU 0.</summary>
    private void Complete(double end)
    {
        if (_window.Counts(end) && end <= _window.End)
        {
            Completed++;
            LatencySum += end - _start;
            Latency.Record(end - _start);
        }
        _start = end;
        var v = _vcpus[0];
        double g = v.GuestClockAtResume + Math.Max(0, end - v.ResumeAt);
        v.TaskEnd = g + _m.Loop.Sample(_rng[0]);
        _sim.ScheduleNext(v);
    }

    public WorkloadResult Result(double window) => new()
    {
        OperationsCompleted = Completed,
        OperationsInFlightAtEnd = 1,
        OperationLatency = Latency,
        OperationLatencySum = LatencySum,
        StorageLatency = new LogHistogram(),
        WakeLatency = new LogHistogram(),
        DiskRequests = 0,
        Notifies = 0,
        Interrupts = Interrupts,
        PostedInterrupts = Posted,
        Wakes = 0,
        PolledWakes = 0,
        HaltPoll = new HaltPollStats(),
        VhostUtilisation = [],
        IothreadUtilisation = [],
        IothreadPolling = [],
        PolledAdds = 0,
    };
}
