namespace ExitSim.Simulation.Vcpus;

/// <summary>A vCPU's pause-loop exiting: its current window and the spin-wait it is in (see <see cref="PauseLoopExiting"/>).</summary>
internal struct PleState
{
    /// <summary>The vCPU's PLE window (ns of one PAUSE loop before it exits).</summary>
    public double WindowNs;
    /// <summary>Spinning still to do after the exit that is due.</summary>
    public double SpinLeftNs;
    /// <summary>The spin stream's next deadline is a PLE exit (the spin outlasted the window), not a new spin-wait.</summary>
    public bool ExitDue;
    /// <summary>The lock model (<see cref="KernelSpinLock"/>): where the vCPU is with the VM's spinlock.</summary>
    public LockPhase Lock;
    /// <summary>When its current wait for the lock began (wall ns).</summary>
    public double WaitFrom;
    /// <summary>PV spinlocks: spinning left before the waiter halts (ns), and whether its next deadline is that halt (not a PLE exit).</summary>
    public double PvSpinLeftNs;
    public bool HaltDue;
    /// <summary>kvm_vcpu_eligible_for_directed_yield's dy_eligible: a vCPU in a spin loop is a yield candidate every other time.</summary>
    public bool DyEligible;

    /// <summary>handle_pause after a PLE exit: the window doubles (grow_ple_window), up to <paramref name="maxNs"/>.</summary>
    public void Grow(double maxNs) => WindowNs = Math.Min(WindowNs * PauseLoopParameters.Grow, maxNs);
}

/// <summary>What the spin stream's next deadline means for a vCPU in the lock model.</summary>
internal enum LockPhase : byte
{
    /// <summary>Its next acquisition.</summary>
    Free,
    /// <summary>It holds the lock: the deadline is its release.</summary>
    Holding,
    /// <summary>It spins for the lock: the deadline is a PLE exit.</summary>
    Waiting,
    /// <summary>The lock was handed to it while it spun: the deadline (now, or its re-entry) starts its hold.</summary>
    Granted,
    /// <summary>PV spinlocks: it halted in kvm_wait without the lock; the deadline (its re-entry) sends it back to spinning.</summary>
    PvHalted,
}
