namespace ExitSim.Randomness;

/// <summary>
/// What a random stream is for. Each purpose has its own generator so that changing one part of a
/// model (an optimisation, a cost) leaves the draws of every other part alone: the basis of common
/// random numbers in before/after comparisons. Never renumber: numbers are part of the seed contract.
/// </summary>
public enum StreamId
{
    ExitOccurrence = 1,   // guest time between synchronous exits, per vCPU
    ExitCost = 2,         // phase costs, per vCPU
    AsyncArrival = 3,     // wall-clock causes (timer ticks, interrupts), per source
    Emulation = 4,        // QEMU emulation times, per vCPU
    Workload = 5,         // application operations (workload layer)
    Device = 6,           // device back ends
    Phase = 7,            // initial phases of periodic sources
    Interrupt = 8,        // interrupt delivery (masked or not), per vCPU
    Frontend = 9,         // device front-end work (QEMU, vhost), per device queue
    Arrival = 10,         // open-workload arrivals, per VM
    KernelSpin = 11,      // how long the guest kernel's spin-waits last, per vCPU
    HostWake = 12,        // wake-ups of QEMU and vhost threads, per thread
    Microbenchmark = 13,  // guest times of a vmexit.flat test, per vCPU
}
