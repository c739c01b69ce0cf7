using ExitSim.Engine;
using ExitSim.Randomness;
using ExitSim.Scenarios;
using ExitSim.Simulation.Vcpus;
using ExitSim.Statistics;

namespace ExitSim.Simulation.Application;

/// <summary>
/// The application's operations. A closed workload has <c>clients</c>, each with one operation in flight and a
/// think time between reply and next request; an open one has Poisson arrivals per VM. An operation is pinned to
/// a home vCPU, arrives over the NIC (or as a local wake-up), runs <c>compute × TLB factor</c> of guest time split
/// evenly around its disk requests (issued one after another), and ends by sending its reply packets. State is
/// kept in parallel arrays indexed by operation id (a client, or a recycled slot of an open workload), which grow
/// by doubling, so steady state allocates nothing.
/// <para>
/// A VM holds at most <see cref="AdmittedPerVm"/> operations at once. Beyond that an open workload's arrivals
/// wait outside it in arrival order — as requests wait in the network and the host's backlog — and enter one
/// by one as operations finish; their latency still counts from their arrival. Only the oldest waiting arrival
/// is remembered (the arrival stream pauses and resumes), so an overloaded VM runs in bounded memory whatever
/// the run's length, and a run that never reaches the bound is exactly what it was without one.
/// </para>
/// </summary>
internal sealed class Operations
{
    private readonly Replication _sim;
    private readonly EventQueue _queue;
    private readonly MeasurementWindow _window;
    private readonly WorkloadModel _w;
    private readonly Vcpu[] _vcpus;
    private readonly ulong _seed;
    private readonly int _replication, _vcpusPerVm;
    private readonly RandomStream[] _arrivalRng, _homeRng, _homeDeviceRng;
    private readonly int[] _nextHome, _admitted;
    /// <summary>Per VM, the arrival time of the oldest arrival waiting outside it, or NaN when none waits.</summary>
    private readonly double[] _waiting;
    private readonly IntRing _free = new();

    /// <summary>
    /// Operations of all VMs held at once before open arrivals wait outside (≈ 130 bytes each: about 140 MB),
    /// shared evenly, but at least <see cref="MinAdmittedPerVm"/> per VM.
    /// </summary>
    public const int MaxAdmitted = 1 << 20, MinAdmittedPerVm = 1024;

    /// <summary>Operations one VM holds at once (in its NIC queue, run queues and disks).</summary>
    public int AdmittedPerVm { get; }

    public int[] Home = [];
    public double[] Arrival = [], SegmentTime = [], IssuedAt = [];
    /// <summary>Compute segments left; a disk request separates two segments.</summary>
    public int[] SegmentsLeft = [];
    /// <summary>The device queue of its current request or packet.</summary>
    public int[] Queue = [];
    /// <summary>Arrived and not finished yet.</summary>
    public bool[] InFlight = [];
    public RandomStream[] Rng = [], DeviceRng = [];

    public Operations(Replication sim, EventQueue queue, MeasurementWindow window, SimulationModel model, Vcpu[] vcpus, ulong seed, int replication)
    {
        _sim = sim;
        _queue = queue;
        _window = window;
        _w = model.Workload!;
        _vcpus = vcpus;
        _seed = seed;
        _replication = replication;
        _vcpusPerVm = model.VcpusPerVm;
        _homeRng = vcpus.Select(v => RandomStream.For(seed, replication, StreamId.Workload, 0x10000 + v.Index)).ToArray();
        _homeDeviceRng = vcpus.Select(v => RandomStream.For(seed, replication, StreamId.Device, 0x10000 + v.Index)).ToArray();
        _arrivalRng = Enumerable.Range(0, model.VmCount).Select(vm => RandomStream.For(seed, replication, StreamId.Arrival, vm)).ToArray();
        _nextHome = new int[model.VmCount];
        _admitted = new int[model.VmCount];
        _waiting = Enumerable.Repeat(double.NaN, model.VmCount).ToArray();
        AdmittedPerVm = Math.Max(MinAdmittedPerVm, MaxAdmitted / model.VmCount);
    }

    public int Count { get; private set; }
    public long Completed { get; private set; }
    /// <summary>From a request's arrival to its reply being handed to the NIC (or its end inside the guest).</summary>
    public LogHistogram Latency { get; } = new();
    public double LatencySum { get; private set; }

    /// <summary>The clients send their first requests, or the open arrivals start.</summary>
    public void Start()
    {
        int vms = _arrivalRng.Length;
        if (_w.Kind == WorkloadKind.Closed)
        {
            for (int vm = 0; vm < vms; vm++)
                for (int c = 0; c < _w.ClientsPerVm; c++)
                {
                    int client = vm * _w.ClientsPerVm + c;
                    // One stream per client, so a change elsewhere does not shift what a client's operations draw.
                    int op = Add(vm * _vcpusPerVm + c % _vcpusPerVm,
                        RandomStream.For(_seed, _replication, StreamId.Workload, client),
                        RandomStream.For(_seed, _replication, StreamId.Device, client));
                    if (_w.HasThink) _queue.Schedule(_w.Think.Sample(Rng[op]), EventKind.ClientRequest, op);
                    else Arrive(op, 0, 0);
                }
        }
        else
        {
            for (int vm = 0; vm < vms; vm++)
                _queue.Schedule(InterArrival(vm), EventKind.OpenArrival, vm);
        }
    }

    private double InterArrival(int vm) => -_w.InterArrivalNs * Math.Log(_arrivalRng[vm].NextOpenDouble());

    public void OnClientRequest(int op, double t) => Arrive(op, t, t);

    public void OnOpenArrival(int vm, double t)
    {
        if (_admitted[vm] >= AdmittedPerVm)
        {
            _waiting[vm] = t;   // the stream pauses here: the next arrival is drawn when this one gets in
            return;
        }
        int op = AddOpen(vm);
        _queue.Schedule(t + InterArrival(vm), EventKind.OpenArrival, vm);
        Arrive(op, t, t);
    }

    private int AddOpen(int vm)
    {
        int home = vm * _vcpusPerVm + _nextHome[vm]++ % _vcpusPerVm;
        return Add(home, _homeRng[home], _homeDeviceRng[home]);
    }

    /// <summary>An operation of VM <paramref name="vm"/> finished: the oldest arrival waiting outside it gets in.</summary>
    private void AdmitWaiting(int vm, double t)
    {
        double arrived = _waiting[vm];
        _waiting[vm] = double.NaN;
        Arrive(AddOpen(vm), arrived, t);
        double next = arrived + InterArrival(vm);
        if (next <= t) _waiting[vm] = next;
        else _queue.Schedule(next, EventKind.OpenArrival, vm);
    }

    /// <summary>
    /// An operation's request reaches the VM at <paramref name="t"/>: over the NIC, or as a wake-up inside the guest.
    /// It arrived at <paramref name="arrived"/>, earlier if it had to wait outside a full VM.
    /// </summary>
    private void Arrive(int op, double arrived, double t, Vcpu? waker = null)
    {
        var rng = Rng[op];
        int io = _w.DiskIoWhole + (_w.DiskIoFraction > 0 && rng.NextDouble() < _w.DiskIoFraction ? 1 : 0);
        Arrival[op] = arrived;
        _admitted[Home[op] / _vcpusPerVm]++;
        InFlight[op] = true;
        SegmentsLeft[op] = io + 1;
        SegmentTime[op] = _w.Compute.Sample(rng) * _w.TlbFactor / (io + 1);
        int home = Home[op];
        if (_w.NetRx > 0)
        {
            var q = _sim.Io!.NicQueueOf(home);
            Queue[op] = q.Id;
            _sim.Io.Receive(q, op, t);
        }
        else if (_w.HasThink || _w.Kind == WorkloadKind.Open) _sim.Interrupts!.WakeLocally(home, op, t);
        else if (waker is not null) _sim.Guest!.MakeReady(waker, op, t);   // ping-pong: another vCPU's thread wakes it
        else _vcpus[home].Ready.Enqueue(op);   // back-to-back: the next operation starts where the last ended
    }

    /// <summary>The running operation finished a compute segment: issue its next disk request, or complete it.</summary>
    public void OnSegmentEnd(Vcpu v, int op, double t)
    {
        var io = _sim.Io!;
        if (--SegmentsLeft[op] > 0)
        {
            var q = io.DiskQueueOf(v.Index);
            IssuedAt[op] = t;
            Queue[op] = q.Id;
            io.Issue(v, q, op, t);
            return;
        }
        InFlight[op] = false;
        int vm = Home[op] / _vcpusPerVm;
        _admitted[vm]--;
        if (_window.Counts(t))
        {
            Completed++;
            Latency.Record(t - Arrival[op]);
            LatencySum += t - Arrival[op];
        }
        if (_w.NetTx > 0)
        {
            var q = io.NicQueueOf(v.Index);
            for (int i = 0; i < _w.NetTx; i++) io.Transmit(v, q, op, t);
        }
        if (_w.Kind == WorkloadKind.Open)
        {
            _free.Enqueue(op);
            if (!double.IsNaN(_waiting[vm])) AdmitWaiting(vm, t);
        }
        else if (_w.HasThink) _queue.Schedule(t + _w.Think.Sample(Rng[op]), EventKind.ClientRequest, op);
        else if (_w.PingPong)
        {
            Home[op] = vm * _vcpusPerVm + (v.Index - vm * _vcpusPerVm + 1) % _vcpusPerVm;   // the peer on the next vCPU
            Arrive(op, t, t, v);
        }
        else Arrive(op, t, t);
    }

    /// <summary>
    /// Operations still in flight when the window closes count in the latency distribution with their age so far:
    /// an overloaded VM's growing backlog must show in its p99, not only the operations it finished. So do the
    /// arrivals still waiting outside a full VM, drawn now from where the paused stream stopped (the run is over,
    /// nothing else draws from it). Returns how many.
    /// </summary>
    public long CloseWindow()
    {
        long inFlight = 0;
        for (int op = 0; op < Count; op++)
            if (InFlight[op])
            {
                inFlight++;
                Latency.Record(_window.End - Arrival[op]);
            }
        for (int vm = 0; vm < _waiting.Length; vm++)
            for (double a = _waiting[vm]; a <= _window.End; a += InterArrival(vm))   // NaN: none waits
            {
                inFlight++;
                Latency.Record(_window.End - a);
            }
        return inFlight;
    }

    private int Add(int home, RandomStream rng, RandomStream deviceRng)
    {
        int id;
        if (_free.Count > 0) id = _free.Dequeue();
        else
        {
            id = Count++;
            if (id == Home.Length) Grow(Math.Max(16, Home.Length * 2));
        }
        Home[id] = home;
        Rng[id] = rng;
        DeviceRng[id] = deviceRng;
        return id;
    }

    private void Grow(int n)
    {
        Array.Resize(ref Home, n);
        Array.Resize(ref Arrival, n);
        Array.Resize(ref SegmentTime, n);
        Array.Resize(ref IssuedAt, n);
        Array.Resize(ref SegmentsLeft, n);
        Array.Resize(ref Queue, n);
        Array.Resize(ref InFlight, n);
        Array.Resize(ref Rng, n);
        Array.Resize(ref DeviceRng, n);
    }
}
