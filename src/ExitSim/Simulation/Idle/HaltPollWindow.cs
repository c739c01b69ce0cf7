namespace ExitSim.Simulation.Idle;

/// <summary>
/// KVM's adaptive halt-polling window (virt/kvm/kvm_main.c: kvm_vcpu_halt, grow_halt_poll_ns, shrink_halt_poll_ns;
/// Documentation/virt/kvm/halt-polling.rst). Each vCPU's <c>halt_poll_ns</c> starts at 0 and is retuned after every halt;
/// <see cref="MaxNs"/> is the module parameter <c>halt_poll_ns</c> (<c>vm.halt_poll</c>). The other parameters keep the
/// kernel's defaults: halt_poll_ns_grow 2, halt_poll_ns_grow_start 10000, halt_poll_ns_shrink 2 (6.x kvm_main.c; older
/// kernels and halt-polling.rst have 0, which resets the window).
/// </summary>
internal sealed record HaltPollWindow(double MaxNs, double Grow = 2, double GrowStartNs = 10_000, double Shrink = 2)
{
    /// <summary>
    /// The vCPU's window after a halt of <paramref name="haltNs"/> (polling included, from entering kvm_vcpu_halt to
    /// running again) with window <paramref name="windowNs"/>: unchanged when the halt ended within the window (the poll
    /// succeeded); shrunk after a halt longer than the maximum (a long idle: polling was wasted); grown after a shorter one
    /// that polling missed, so the next such halt is caught.
    /// </summary>
    public double After(double windowNs, double haltNs)
    {
        if (MaxNs == 0) return 0;
        if (haltNs <= windowNs) return windowNs;
        if (windowNs > 0 && haltNs > MaxNs) return Shrink == 0 ? 0 : Math.Floor(windowNs / Shrink);   // unsigned division
        if (windowNs < MaxNs && haltNs < MaxNs)
        {
            if (Grow == 0) return windowNs;
            return Math.Min(Math.Max(windowNs * Grow, GrowStartNs), MaxNs);
        }
        return windowNs;
    }
}
