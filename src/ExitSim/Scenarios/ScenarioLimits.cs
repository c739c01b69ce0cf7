namespace ExitSim.Scenarios;

/// <summary>
/// Every bound a scenario must stay within, in one place. Each keeps a run finite (no value that
/// overflows to infinity, no loop at a standing clock), within memory, and within a budget of work;
/// all are far beyond what a KVM host can do. docs/scenario-limits.md explains each one.
/// </summary>
public static class ScenarioLimits
{
    // The input itself.
    /// <summary>A scenario or host profile file (the shipped ones are under 10 KiB).</summary>
    public const long MaxFileBytes = 1 << 20;
    /// <summary>An <c>empirical(file=…)</c> CSV, and the values it may hold.</summary>
    public const long MaxEmpiricalFileBytes = 16 << 20;
    public const int MaxEmpiricalValues = 1_000_000;
    /// <summary>Nesting of YAML mappings and lists (a scenario needs 4).</summary>
    public const int MaxYamlDepth = 64;
    /// <summary>Nesting of <c>mix(…)</c> inside <c>mix(…)</c>, and the components of one mixture.</summary>
    public const int MaxDistributionDepth = 8;
    public const int MaxMixtureComponents = 100;
    /// <summary>A scenario's name, which names the files of <c>run --out</c>.</summary>
    public const int MaxNameLength = 100;

    // Values.
    /// <summary>Any time (cost, interval, duration, warm-up): one day of simulated time.</summary>
    public const double MaxTimeNs = 86_400e9;
    /// <summary>Any cost in cycles (100 s at 10 GHz, under 3 h at 0.1 GHz).</summary>
    public const double MaxCycles = 1e12;
    /// <summary>The host clock that converts cycles.</summary>
    public const double MinGhz = 0.1, MaxGhz = 10;
    /// <summary>Any rate (exits, arrivals): at most one per nanosecond; a positive one at least one a day.</summary>
    public const double MaxRatePerSecond = 1e9, MinRatePerSecond = 1e9 / MaxTimeNs;
    /// <summary>The mean of an <c>interval:</c> (the same bound as the rate: one per nanosecond).</summary>
    public const double MinMeanIntervalNs = 1;
    /// <summary>Guest timer ticks per second (Linux CONFIG_HZ is 100–1000).</summary>
    public const double MaxTimerHz = 100_000;
    /// <summary>A host C-state's exit latency: intel_idle's deepest (package C10) states are below 1 ms.</summary>
    public const double MaxIdleExitLatencyNs = 10e6;
    /// <summary>A closed client's think time plus its operation's compute, on average: the clock must move.</summary>
    public const double MinOperationCycleNs = 1;
    /// <summary>The host scheduler's quantum (CFS slices are 0.75–24 ms).</summary>
    public const double MinTimesliceNs = 10_000, MaxTimesliceNs = 1e9;
    /// <summary>Clearing a new backing page (a 1 GiB page then takes at most 17 min).</summary>
    public const double MinZeroBytesPerSecond = 1 << 20;
    /// <summary>Coefficient of variation of lognormal and gamma costs (measured exit costs have cv 0.1–5).</summary>
    public const double MaxCv = 100;
    /// <summary>Gamma shape (cv 0.001–100) and Weibull shape: beyond, samples underflow to 0 or overflow.</summary>
    public const double MinGammaShape = 1e-4, MaxGammaShape = 1e6;
    public const double MinWeibullShape = 0.1, MaxWeibullShape = 100;

    // The size of the model and of a run.
    /// <summary>
    /// vCPUs over all VMs (vm.count × vm.vcpus): KVM's KVM_MAX_VCPUS is 4096 per VM. The cost per event no longer
    /// grows with the count (docs/performance.md), but memory does: 10,000 VMs × 4 vCPUs of an overloaded open
    /// workload held 1.1 GB in one replication.
    /// </summary>
    public const int MaxTotalVcpus = 4096;
    /// <summary>Closed-workload clients over all VMs (each holds an operation in flight).</summary>
    public const int MaxTotalClients = 1_000_000;
    /// <summary>Device queues and back-end channels over all VMs.</summary>
    public const int MaxTotalQueues = 65_536, MaxTotalChannels = 1 << 20;
    /// <summary>
    /// Simulated events of a run, all replications together (<see cref="WorkEstimate"/>): the simulator
    /// handles 1–3 million a second on one core, so this is 10–30 minutes of CPU time.
    /// </summary>
    public const double MaxEvents = 2e9;
}
