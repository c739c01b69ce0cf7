using ExitSim.Distributions;
using ExitSim.Model;

namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// Pause-loop exiting as KVM configures it, for a model with kernel spin-waits (<c>vm.kernel_spin</c>). Intel
/// (arch/x86/kvm/vmx/vmx.c, defaults in arch/x86/kvm/x86.h): <c>ple_window</c> 4096 cycles of one PAUSE loop,
/// <c>ple_window_grow</c> 2 (×2 on each PLE exit, grow_ple_window), <c>ple_window_max</c> UINT_MAX,
/// <c>ple_window_shrink</c> 0 (back to 4096 at sched-in, shrink_ple_window). AMD (arch/x86/kvm/svm/svm.c):
/// the pause filter counts PAUSE instructions, <c>pause_filter_count</c> 3000, grown ×2 up to USHRT_MAX
/// (<c>pause_filter_count_max</c>), reset at sched-in; its count is turned into time at an assumed 65 cycles
/// per spin iteration (PAUSE's latency on Zen 2 and later is tens of cycles).
/// </summary>
public sealed record PauseLoopParameters
{
    public const double IntelWindowCycles = 4096, IntelMaxWindowCycles = uint.MaxValue;
    public const double AmdFilterCount = 3000, AmdMaxFilterCount = ushort.MaxValue, AmdCyclesPerPause = 65;
    public const double Grow = 2;

    /// <summary>The exit site of the PAUSE exit (the reason's own).</summary>
    public required int Site { get; init; }
    /// <summary>Index of the kernel spin-wait stream in <see cref="SimulationModel.GuestStreams"/>.</summary>
    public required int Stream { get; init; }
    /// <summary>How long one spin-wait lasts (ns).</summary>
    public required Sampler Wait;
    /// <summary>The lock model (<c>vm.kernel_spin.hold</c>): the spin-waits are acquisitions of one spinlock per VM, held this long (guest ns).</summary>
    public Sampler? Hold { get; init; }
    public int VcpusPerVm { get; init; } = 1;
    /// <summary>PV spinlocks (<c>pv-spinlock</c>, with the lock model and a workload), or null.</summary>
    public PvSpinParameters? PvSpin { get; init; }
    /// <summary>The window at reset, and its cap, in ns of spinning.</summary>
    public required double WindowNs { get; init; }
    public required double MaxWindowNs { get; init; }

    public static PauseLoopParameters For(Vendor vendor, double ghz, int site, int stream, Sampler wait) => vendor == Vendor.Intel
        ? new PauseLoopParameters { Site = site, Stream = stream, Wait = wait, WindowNs = IntelWindowCycles / ghz, MaxWindowNs = IntelMaxWindowCycles / ghz }
        : new PauseLoopParameters
        {
            Site = site, Stream = stream, Wait = wait,
            WindowNs = AmdFilterCount * AmdCyclesPerPause / ghz, MaxWindowNs = AmdMaxFilterCount * AmdCyclesPerPause / ghz,
        };
}
