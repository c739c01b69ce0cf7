namespace ExitSim.Probe.Validation;

/// <summary>The exit paths a validation guest takes: the probe's four I/O paths.</summary>
public enum ProbeExit : byte { UserspacePio, UserspaceMmio, IoEventFdPio, IoEventFdMmio }

/// <summary>
/// One kind of exit in a validation request: how many per request, and for an exit handled in
/// userspace the emulation time the host adds before resuming the guest.
/// </summary>
public sealed record WorkloadExit(ProbeExit Kind, int PerRequest, double EmulationNs = 0)
{
    public bool Userspace => Kind is ProbeExit.UserspacePio or ProbeExit.UserspaceMmio;
    public bool Pio => Kind is ProbeExit.UserspacePio or ProbeExit.IoEventFdPio;

    /// <summary>The probed path that costs this exit (a key under the profile's <c>paths:</c>).</summary>
    public string ProbePath => Kind switch
    {
        ProbeExit.UserspacePio => ProbePaths.UserspacePio,
        ProbeExit.UserspaceMmio => ProbePaths.UserspaceMmio,
        ProbeExit.IoEventFdPio => ProbePaths.IoEventFdPio,
        _ => ProbePaths.IoEventFdMmio,
    };

    /// <summary>The probe loop that measures this path (<see cref="ProbePath"/>).</summary>
    public LoopExit LoopExit => Kind switch
    {
        ProbeExit.UserspacePio => LoopExit.UserspacePio,
        ProbeExit.UserspaceMmio => LoopExit.UserspaceMmio,
        ProbeExit.IoEventFdPio => LoopExit.IoEventFdPio,
        _ => LoopExit.IoEventFdMmio,
    };

    /// <summary>The exit reason as the kernel prints it (Intel names; the scenario's host is Intel).</summary>
    public string Reason => Pio ? "IO_INSTRUCTION" : "EPT_MISCONFIG";
}

/// <summary>
/// A validation workload: requests of guest compute with exits spread evenly among it. The one
/// description both the real guest (<see cref="ValidationGuest"/>) and its ExitSim scenario
/// (<see cref="ValidationScenario"/>) are generated from.
/// </summary>
public sealed record ValidationWorkload(string Name, string Description, double ComputeNs, IReadOnlyList<WorkloadExit> Exits)
{
    public const int MaxExitsPerRequest = 64;

    public int ExitsPerRequest => Exits.Sum(e => e.PerRequest);

    /// <summary>Null when the workload can be both run and simulated, else why not.</summary>
    public string? Problem()
    {
        if (!(ComputeNs > 0)) return "compute must be positive (it sets the guest time between exits)";
        if (Exits.Count == 0 || Exits.Any(e => e.PerRequest < 1)) return "every exit kind needs at least one exit per request";
        if (ExitsPerRequest > MaxExitsPerRequest) return $"at most {MaxExitsPerRequest} exits per request";
        if (Exits.Select(e => e.Kind).Distinct().Count() != Exits.Count) return "each exit kind may be listed once";
        if (Exits.Any(e => !e.Userspace && e.EmulationNs != 0)) return "only exits handled in userspace have an emulation time";
        return null;
    }
}
