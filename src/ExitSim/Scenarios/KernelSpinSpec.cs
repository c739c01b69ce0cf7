using ExitSim.Distributions;

namespace ExitSim.Scenarios;

/// <summary>
/// The guest kernel's spin-waits (<c>vm.kernel_spin</c>): spin locks and other PAUSE loops at CPL 0, the
/// only ones pause-loop exiting sees. <see cref="Rate"/> is spins per second of guest time per vCPU;
/// <see cref="Wait"/> is how long one spin lasts before the lock is free.
/// </summary>
public sealed record KernelSpinSpec(double Rate, Distribution Wait);
