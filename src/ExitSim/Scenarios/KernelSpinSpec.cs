using ExitSim.Distributions;
using ExitSim.Units;

namespace ExitSim.Scenarios;

/// <summary>
/// The guest kernel's spin-waits (<c>vm.kernel_spin</c>): spin locks and other PAUSE loops at CPL 0, the
/// only ones pause-loop exiting sees. <see cref="Rate"/> is spins per second of guest time per vCPU;
/// <see cref="Wait"/> is how long one spin lasts before the lock is free. With <see cref="Hold"/> instead (the lock
/// model), each of them is an acquisition of one kernel spinlock per VM, held for <see cref="Hold"/> of the holder's
/// guest time: a waiter spins until the holder releases it, however long the host keeps the holder descheduled.
/// <see cref="Loop"/> (with <see cref="Hold"/>) is one iteration of a waiter's spin loop, which sets how long a PV spinlock waiter
/// spins before it halts (<c>pv-spinlock</c>); null: the vendor's assumed PAUSE latency (Simulation/Vcpus/PvSpinParameters).
/// </summary>
public sealed record KernelSpinSpec(double Rate, Distribution? Wait, Distribution? Hold = null, Quantity? Loop = null);
