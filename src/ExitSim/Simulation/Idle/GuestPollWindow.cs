namespace ExitSim.Simulation.Idle;

/// <summary>
/// The guest's adaptive poll window (cpuidle-haltpoll; drivers/cpuidle/governors/haltpoll.c adjust_poll_limit): each
/// vCPU's <c>poll_limit_ns</c> starts at 0 (haltpoll_enable_device) and is retuned after every HLT on that HLT's
/// residency. <see cref="MaxNs"/> is <c>guest_halt_poll_ns</c> (<c>vm.guest_halt_poll</c>); the other parameters keep the
/// module's defaults: guest_halt_poll_grow 2, guest_halt_poll_grow_start 50000 (10000 in the 2019 series), guest_halt_poll_shrink 2,
/// guest_halt_poll_allow_shrink true.
/// </summary>
internal sealed record GuestPollWindow(double MaxNs, double Grow = 2, double GrowStartNs = 50_000, double Shrink = 2, bool AllowShrink = true)
{
    /// <summary>
    /// The window after an HLT of <paramref name="blockNs"/> with window <paramref name="windowNs"/>: grown when the HLT was
    /// longer than the window but not than the maximum (polling longer would have caught it), shrunk after one longer than
    /// the maximum (a long idle), else unchanged.
    /// </summary>
    public double After(double windowNs, double blockNs)
    {
        if (blockNs > windowNs && blockNs <= MaxNs)
            return Math.Min(Math.Max(windowNs * Grow, GrowStartNs), MaxNs);
        if (blockNs > MaxNs && AllowShrink)
            return Shrink == 0 ? 0 : Math.Floor(windowNs / Shrink);   // unsigned division
        return windowNs;
    }
}
