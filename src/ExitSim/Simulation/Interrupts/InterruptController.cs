using ExitSim.Randomness;
using ExitSim.Simulation.Vcpus;

namespace ExitSim.Simulation.Interrupts;

/// <summary>
/// Interrupt delivery to the vCPUs (the local APIC and KVM's injection). A source is raised unless it already is;
/// delivery to a vCPU in the guest costs EXTERNAL_INTERRUPT (plus INTERRUPT_WINDOW with probability
/// <c>interrupts.masked</c>) unless interrupts are posted; to a vCPU in root mode it is injected at entry; to a
/// halted one it is a wake-up. The handler runs <c>interrupts.handler</c> of guest time and its device's register
/// exits, then delivers what its source collected. Its EOI exits as <see cref="Model.ApicExits"/> says: never with
/// APICv/AVIC for an edge vector, always for a level-triggered one, and not with PV EOI when KVM could arm it.
/// </summary>
internal sealed class InterruptController
{
    private readonly Replication _sim;
    private readonly MeasurementWindow _window;
    private readonly WorkloadModel _workload;
    private readonly Vcpu[] _vcpus;
    private IrqSource[] _sources = [];
    private int _count;
    private readonly IrqSource[] _reschedule, _local;   // per vCPU

    public InterruptController(Replication sim, MeasurementWindow window, WorkloadModel workload, Vcpu[] vcpus, ulong seed, int replication)
    {
        _sim = sim;
        _window = window;
        _workload = workload;
        _vcpus = vcpus;
        _reschedule = new IrqSource[vcpus.Length];
        _local = new IrqSource[vcpus.Length];
        foreach (var v in vcpus)
        {
            v.InterruptRng = RandomStream.For(seed, replication, StreamId.Interrupt, v.Index);
            _reschedule[v.Index] = Add(new IrqSource(NextId, IrqKind.Reschedule, v.Index));
            _local[v.Index] = Add(new IrqSource(NextId, IrqKind.LocalTimer, v.Index));
        }
    }

    /// <summary>Interrupts raised in the window (device completions, packets, IPIs, wake-ups); coalesced ones not counted.</summary>
    public long Raised { get; private set; }
    public long Posted { get; private set; }
    /// <summary>IOMMU-posted interrupts to a preempted vCPU: PI.SN set, so no notification; taken at its next entry.</summary>
    public long Suppressed { get; private set; }

    /// <summary>The id the next source added gets.</summary>
    public int NextId => _count;

    public IrqSource Add(IrqSource source)
    {
        if (_count == _sources.Length) Array.Resize(ref _sources, Math.Max(8, _count * 2));
        _sources[_count++] = source;
        return source;
    }

    /// <summary>Hands <paramref name="op"/> to the source's handler and raises it.</summary>
    public void Deliver(IrqSource source, int op, double t)
    {
        source.Items.Enqueue(op);
        Raise(source, t);
    }

    /// <summary>A local wake-up of an operation on its home vCPU (a request that arrives without the NIC).</summary>
    public void WakeLocally(int vcpu, int op, double t) => Deliver(_local[vcpu], op, t);

    private void Raise(IrqSource src, double t)
    {
        if (src.Raised) return;   // already pending or being handled: its handler will take the new items too
        if (src.Queue is { Device.MitigationNs: > 0 } q)
        {
            // QEMU's e1000 raises at once and starts mit_timer; causes during the hold-off wait for it (hw/net/e1000.c).
            if (t < src.MitigatedUntil)
            {
                if (!src.TimerArmed)
                {
                    src.TimerArmed = true;
                    _sim.ScheduleMitigationTimer(src.MitigatedUntil, src.Id);
                }
                return;
            }
            src.MitigatedUntil = t + q.Device.MitigationNs;
        }
        src.Raised = true;
        if (_window.Counts(t)) Raised++;
        var v = _vcpus[src.Vcpu];
        v.PendingIrq.Enqueue(src.Id);
        // KVM posts every interrupt to an APICv vCPU (vmx_deliver_interrupt); out of guest mode ON stays set until its next entry.
        if (_workload.PiDescriptor && !InGuestMode(v, t)) v.Pi.PostOutsideGuest(t);
        // vmx_vcpu_pi_put sets PI.SN on a preempted vCPU: the IOMMU posts to PIR and sends no notification to the core it left
        // (vmx_vcpu_pi_load clears SN and sets ON at its sched-in), so the interrupt is taken at its next entry, below.
        if (_workload.PiDescriptor && src.Queue is { Device.IommuPosts: true } && v.Preempted(t) && _window.Counts(t)) Suppressed++;
        if (v.Idle.Halted) { _sim.Idle!.Wake(v, t); return; }
        // Idle in guest mode (polling, or halted with HLT not intercepted): delivered as to a running guest, once awake.
        if (v.Idle.InGuest != Idle.GuestIdleKind.None) t = _sim.Idle!.Guest.Leave(v, t);
        if (v.Idle.Halting || v.Suspended) return;   // injected when it next enters
        var w = _workload;
        bool window = !w.VirtualApic && w.Masked > 0 && v.InterruptRng!.NextDouble() < w.Masked;
        if (v.InGuest(t))
        {
            double g = v.LeaveGuest(t);
            // A VFIO interrupt the IOMMU does not post is a host IRQ on the vCPU's core: it exits whatever APICv could post.
            if (w.PostedDelivery && src.Queue is not { Device.HostIrqExits: true })
            {
                if (_window.Counts(t)) Posted++;
                _sim.Resume(v, t, g);   // the handler pre-empts the guest's task without an exit
                return;
            }
            if (window) v.FollowUps.Push(w.SiteInterruptWindow);
            _sim.BeginExit(v, w.SiteExternalInterrupt, t, g);
        }
        else
        {
            // In root mode with a known entry: KVM injects at that entry.
            if (window) v.FollowUps.Push(w.SiteInterruptWindow);
            _sim.Guest!.Dispatch(v, v.GuestClockAtResume);
            _sim.ScheduleNext(v);
        }
    }

    /// <summary>The mitigation timer fires (e1000_mit_timer): what arrived during the hold-off is raised now.</summary>
    public void OnMitigationTimer(int source, double t)
    {
        var src = _sources[source];
        src.TimerArmed = false;
        if (src.Items.Count > 0) Raise(src, t);
    }

    /// <summary>The guest takes the next pending interrupt: its handler becomes the running task.</summary>
    public void StartHandler(Vcpu v, double g)
    {
        var src = _sources[v.PendingIrq.Dequeue()];
        v.HandlerSource = src.Id;
        v.Task = GuestTask.Handler;
        v.TaskEnd = g + _workload.Handler.Sample(v.InterruptRng!);
        if (src.Queue is { } q)
        {
            var d = q.Device;
            for (int i = 0; i < d.HandlerExits; i++)
            {
                // e1000: the NAPI poll's RDT refill (coalesced, handled in KVM) comes before the unmask (IMS + flush).
                if (i == d.HandlerExits - Model.DeviceModels.UnmaskExits)
                    for (int c = 0; c < d.CoalescedHandlerWrites; c++) v.FollowUps.Push(d.SiteCoalesced);
                v.FollowUps.Push(d.SiteRegister);
            }
        }
        // The EOI (Linux acks an edge vector as its handler starts). KVM arms PV EOI before the entry only when the vector is
        // the only one in service and nothing else is pending, and never for a level-triggered vector, whose EOI the IOAPIC
        // needs (arch/x86/kvm/lapic.c apic_sync_pv_eoi_to_guest); the guest then clears a flag instead of writing EOI.
        var w = _workload;
        int eoi = src.Level ? w.SiteEoiLevel : w.SiteEoiEdge;
        if (eoi >= 0 && !(w.PvEoi && !src.Level && v.PendingIrq.Count == 0)) v.FollowUps.Push(eoi);
    }

    /// <summary>The handler has done its work: deliver what its source collected, then re-enable it.</summary>
    public void EndHandler(Vcpu v, double t)
    {
        var src = _sources[v.HandlerSource];
        v.HandlerSource = -1;
        var items = src.Items;
        int n = items.Count;
        for (int i = 0; i < n; i++)
        {
            int op = items.Dequeue();
            switch (src.Kind)
            {
                case IrqKind.DiskCompletion:
                    _sim.Io!.Completed(src.Queue!, op, t);
                    _sim.Guest!.MakeReady(v, op, t);
                    break;
                case IrqKind.NetReceive:
                    _sim.Guest!.MakeReady(v, op, t);
                    break;
                default:
                    v.Ready.Enqueue(op);
                    break;
            }
        }
        src.Raised = false;
        if (src.Kind == IrqKind.DiskCompletion) _sim.Io!.Restart(v, src.Queue!, t);
    }

    /// <summary>
    /// Wakes <paramref name="op"/> on the idle vCPU <paramref name="target"/> with a reschedule IPI (unicast, physical
    /// destination: Linux uses x2APIC physical mode without interrupt remapping). The sender's ICR write exits and then
    /// the interrupt is raised, except where the hardware sends it: with IPIv always, with AVIC while the target is still
    /// running (in the guest, on its way to halting, or halt-polling; once blocked, the sender exits with
    /// avic_incomplete_ipi and KVM wakes the target). One IPI carries every wake-up meanwhile.
    /// </summary>
    public void SendIpi(Vcpu sender, int target, int op, double t)
    {
        var src = _reschedule[target];
        src.Items.Enqueue(op);
        if (src.Raised || src.Sending) return;   // an IPI is already on its way: the wake list is shared
        var w = _workload;
        if (w.SiteIcr < 0 || (w.IcrOnlyToBlocked && !_sim.Idle!.Blocked(_vcpus[target], t)))
        {
            Raise(src, t);
            return;
        }
        src.Sending = true;
        sender.FollowUps.Push(w.SiteIcr, ExitAction.Ipi, target);
    }

    /// <summary>IN_GUEST_MODE: running guest code, or idle without leaving guest mode (polling, or HLT passed through).</summary>
    private static bool InGuestMode(Vcpu v, double t) => v.InGuest(t) || v.Idle.InGuest != Idle.GuestIdleKind.None;

    /// <summary>
    /// The sender's ICR-write site for <paramref name="target"/>'s state as KVM delivers (vmx.c __vmx_deliver_posted_interrupt,
    /// kvm_vcpu_trigger_posted_interrupt): ON already set, nothing more than the PIR bit; a target IN_GUEST_MODE, the
    /// notification IPI; a blocked one, kvm_vcpu_wake_up's try_to_wake_up; halt-polling, in root mode or preempted, only
    /// the PIR/ON update (rcuwait_wake_up finds no waiting task).
    /// </summary>
    public int IcrSite(int target, double t)
    {
        var sites = _workload.Icr;
        if (sites.Single) return sites.Notify;
        var v = _vcpus[target];
        if (_workload.PiDescriptor && v.Pi.On(t, v.InGuest(t), v.ResumeAt)) return sites.Post;
        if (InGuestMode(v, t)) return sites.Notify;
        return _sim.Idle!.Blocked(v, t) ? sites.Wake : sites.Post;
    }

    /// <summary>KVM has handled the sender's ICR write: the IPI reaches its target.</summary>
    public void OnIcrWritten(int target, double t)
    {
        var src = _reschedule[target];
        src.Sending = false;
        Raise(src, t);
    }
}
