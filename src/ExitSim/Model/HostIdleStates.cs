namespace ExitSim.Model;

/// <summary>One idle state (C-state) of the host's cores, as the cpuidle driver lists it.</summary>
public sealed record HostIdleState(string Name, double ExitLatencyNs, double TargetResidencyNs);

/// <summary>
/// The idle states a host core can enter when nothing runs on it (<c>host.cstates</c>), shallowest first. The
/// cpuidle governor (menu, teo) picks the deepest state whose target residency the idle period reaches; waking the
/// core pays that state's exit latency. <see cref="None"/>: the cores never idle deeper than polling (<c>idle=poll</c>).
/// The tables are intel_idle's own (drivers/idle/intel_idle.c), its worst-case exit latencies.
/// </summary>
public sealed record HostIdleStates(string? Name, EquatableArray<HostIdleState> States)
{
    /// <summary>Cores poll when idle: no exit latency (<c>idle=poll</c>).</summary>
    public static readonly HostIdleStates None = new("none", EquatableArray<HostIdleState>.Empty);

    /// <summary>Ice Lake-SP (icx_cstates): C1 1/1 µs, C1E 4/4 µs, C6 170/600 µs (exit latency/target residency;
    /// C6 from "intel_idle: update ICX C6 data", the 99.99th percentile measured with wult).</summary>
    public static readonly HostIdleStates IceLakeSp = new("icelake-sp", new[]
    {
        new HostIdleState("C1", 1e3, 1e3),
        new HostIdleState("C1E", 4e3, 4e3),
        new HostIdleState("C6", 170e3, 600e3),
    }.ToEquatableArray());

    /// <summary>Skylake/Cascade Lake-SP (skx_cstates): C1 2/2 µs, C1E 10/20 µs, C6 133/600 µs.</summary>
    public static readonly HostIdleStates SkylakeSp = new("skylake-sp", new[]
    {
        new HostIdleState("C1", 2e3, 2e3),
        new HostIdleState("C1E", 10e3, 20e3),
        new HostIdleState("C6", 133e3, 600e3),
    }.ToEquatableArray());

    /// <summary>The tables a scenario may name.</summary>
    public static IReadOnlyList<HostIdleStates> Named { get; } = [None, IceLakeSp, SkylakeSp];
}
