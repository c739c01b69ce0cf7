using ExitSim.Model;
using ExitSim.Units;

namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// Paravirtual spinlocks (<c>pv-spinlock</c>) for the lock model of <c>vm.kernel_spin</c> (<see cref="KernelSpinLock"/>).
/// A queued waiter spins <c>SPIN_THRESHOLD</c> = 1 &lt;&lt; 15 loops (arch/x86/include/asm/spinlock.h) in pv_wait_node or
/// pv_wait_head_or_lock (kernel/locking/qspinlock_paravirt.h), then halts in kvm_wait (arch/x86/kernel/kvm.c); a waiter whose
/// predecessor in the queue has halted halts at its next pv_wait_early check (every PV_PREV_CHECK_MASK + 1 = 256 loops: 128 on
/// average). A loop is a PAUSE (cpu_relax) and a load: its time is PAUSE's latency, assumed 140 cycles on Intel (Skylake and
/// later; about 10 before: Intel 64 and IA-32 Architectures Optimization Reference Manual, "Pause Latency in Skylake
/// Microarchitecture") and 65 cycles on AMD (the same assumption as the pause filter's, <see cref="PauseLoopParameters"/>), unless
/// <c>vm.kernel_spin.loop</c> gives it.
/// </summary>
public sealed record PvSpinParameters
{
    public const double SpinThresholdLoops = 1 << 15, EarlyCheckLoops = 128;
    public const double IntelCyclesPerLoop = 140, AmdCyclesPerLoop = PauseLoopParameters.AmdCyclesPerPause;

    /// <summary>How long a waiter spins before it halts (ns).</summary>
    public required double SpinNs { get; init; }
    /// <summary>How long a waiter spins once its predecessor has halted (ns).</summary>
    public required double EarlyNs { get; init; }
    /// <summary>The HLT exit of kvm_wait, and the VMCALL exit of kvm_kick_cpu.</summary>
    public required int SiteHalt { get; init; }
    public required int SiteKick { get; init; }

    /// <summary>The parameters for <paramref name="loop"/> per spin iteration (<c>vm.kernel_spin.loop</c>), or the vendor's assumption.</summary>
    public static PvSpinParameters For(Vendor vendor, double ghz, Quantity? loop, int siteHalt, int siteKick)
    {
        double loopNs = loop?.Resolve(ghz) ?? (vendor == Vendor.Intel ? IntelCyclesPerLoop : AmdCyclesPerLoop) / ghz;
        return new PvSpinParameters { SpinNs = SpinThresholdLoops * loopNs, EarlyNs = EarlyCheckLoops * loopNs, SiteHalt = siteHalt, SiteKick = siteKick };
    }
}
