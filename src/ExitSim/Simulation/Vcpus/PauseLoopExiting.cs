using ExitSim.Distributions;
using ExitSim.Randomness;

namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// Pause-loop exiting (Intel SDM vol. 3C §26.1.3 "PAUSE-loop exiting"; AMD's pause filter): the CPU exits only
/// when one PAUSE loop at CPL 0 lasts longer than the vCPU's window — user-mode spinning never exits. The guest
/// kernel's spin-waits start on the vCPU's guest clock (<c>vm.kernel_spin</c>); one that ends within the window
/// costs nothing, one that outlasts it exits after a window's worth of spinning. KVM's handle_pause grows the
/// window (×2, capped) and, when the spin goes on, the next exit comes a (larger) window later. Only a sched-in —
/// the vCPU thread scheduled out by the host (contention) or blocked in a halt, then scheduled back — resets it
/// (vmx.c vmx_vcpu_load → shrink_ple_window, ple_window_shrink = 0), so an undercommitted VM soon stops exiting.
/// With <c>wait</c> a spin lasts as long as it says, so kvm_vcpu_on_spin's directed yield has nothing to speed up; with
/// <c>hold</c> the spin-waits are acquisitions of a lock whose holder may be preempted (<see cref="KernelSpinLock"/>).
/// </summary>
internal sealed class PauseLoopExiting
{
    private readonly Replication _sim;
    private readonly PauseLoopParameters _p;
    private readonly Sampler _wait;
    private readonly Sampler _between;
    private readonly RandomStream[] _rng;

    public PauseLoopExiting(Replication sim, PauseLoopParameters p, Sampler between, MeasurementWindow window, Vcpu[] vcpus, ulong seed, int replication)
    {
        _sim = sim;
        _p = p;
        _wait = p.Wait;
        _between = between;
        _rng = new RandomStream[vcpus.Length];
        for (int i = 0; i < vcpus.Length; i++)
        {
            _rng[i] = RandomStream.For(seed, replication, StreamId.KernelSpin, i);
            vcpus[i].Ple.WindowNs = p.WindowNs;
        }
        if (p.Hold is { } hold) Lock = new KernelSpinLock(sim, p, hold, between, window, vcpus, _rng);
    }

    /// <summary>The lock model (<c>vm.kernel_spin.hold</c>), or null with independent spin-waits.</summary>
    public KernelSpinLock? Lock { get; }

    /// <summary>The spin stream's deadline at wall time <paramref name="t"/>, guest clock <paramref name="g"/>: a spin-wait starts, or one outlasted the window.</summary>
    public void OnSpin(Vcpu v, double t, double g)
    {
        if (Lock is { } l)
        {
            l.OnSpin(v, t, g);
            return;
        }
        ref var s = ref v.Ple;
        int k = _p.Stream;
        if (!s.ExitDue)
        {
            double wait = _wait.Sample(_rng[v.Index]);
            if (wait <= s.WindowNs)
            {
                // The lock came free inside the window: no exit.
                v.NextOccurrence[k] = g + wait + _between.Sample(v.OccurrenceRng[k]);
            }
            else
            {
                s.ExitDue = true;
                s.SpinLeftNs = wait - s.WindowNs;
                v.NextOccurrence[k] = g + s.WindowNs;
            }
            _sim.Resume(v, t, g);
            return;
        }
        // A whole window of one PAUSE loop: the CPU exits, and handle_pause grows the window (grow_ple_window).
        s.ExitDue = false;
        s.Grow(_p.MaxWindowNs);
        if (s.SpinLeftNs > s.WindowNs)
        {
            s.ExitDue = true;
            s.SpinLeftNs -= s.WindowNs;
            v.NextOccurrence[k] = g + s.WindowNs;
        }
        else v.NextOccurrence[k] = g + s.SpinLeftNs + _between.Sample(v.OccurrenceRng[k]);
        _sim.BeginExit(v, _p.Site, t, g);
    }

    /// <summary>
    /// The vCPU thread was scheduled out (host contention, or blocked in a halt): at its sched-in KVM resets the
    /// window (shrink_ple_window with ple_window_shrink = 0). The window only matters in the guest, so resetting
    /// it now is the same as at the sched-in.
    /// </summary>
    public void ScheduledOut(Vcpu v) => v.Ple.WindowNs = _p.WindowNs;
}
