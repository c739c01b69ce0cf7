namespace ExitSim.Simulation;

/// <summary>What the guest kernel's spinlock (<c>vm.kernel_spin.hold</c>) did in the window (all VMs).</summary>
public sealed class KernelLockStats
{
    /// <summary>Acquisitions, and those that found the lock held and waited.</summary>
    public long Acquisitions, Contended;
    /// <summary>PAUSE exits of waiters; those that found the holder preempted; those after which KVM yielded to it (kvm_vcpu_on_spin).</summary>
    public long PauseExits, HolderPreempted, PleYields;
    /// <summary>PV spinlocks: waiters' halts in kvm_wait, and the unlockers' KVM_HC_KICK_CPU hypercalls.</summary>
    public long PvHalts, Kicks;
    /// <summary>Wall time from a waiter's first spin to its acquisition, ns (summed over contended acquisitions).</summary>
    public double WaitNs;

    public void Add(KernelLockStats o)
    {
        Acquisitions += o.Acquisitions;
        Contended += o.Contended;
        PauseExits += o.PauseExits;
        HolderPreempted += o.HolderPreempted;
        PleYields += o.PleYields;
        PvHalts += o.PvHalts;
        Kicks += o.Kicks;
        WaitNs += o.WaitNs;
    }
}
