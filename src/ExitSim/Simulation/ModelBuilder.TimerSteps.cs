using ExitSim.Scenarios;

namespace ExitSim.Simulation;

// KVM's own work on the guest's LAPIC timer inside the exits that carry it.
public static partial class ModelBuilder
{
    /// <summary>
    /// Copies of the timer's exit sites whose handle also carries KVM's timer work (arch/x86/kvm/lapic.c):
    /// <list type="bullet">
    /// <item>arm (<c>host.timer_arm</c>), in the TSC_DEADLINE write: kvm_set_lapic_tscdeadline_msr → restart_apic_timer →
    /// start_hv_timer → vmx_set_hv_timer (or start_sw_timer's hrtimer_start). The fastpath runs the same arm
    /// (x86.c handle_fastpath_set_tscdeadline → kvm_set_lapic_tscdeadline_msr), so its copy is made from this one.</item>
    /// <item>inject (<c>host.timer_inject</c>), in the exit that finds the timer expired: the PREEMPTION_TIMER exit
    /// (handle_preemption_timer / handle_fastpath_preemption_timer → kvm_lapic_expired_hv_timer → apic_timer_expired), the
    /// host hrtimer's interrupt (apic_timer_fn, then kvm_inject_apic_timer_irqs at entry), and a write whose deadline has
    /// already passed (start_hv_timer: <c>expired</c> → apic_timer_expired) — arm and inject both.</item>
    /// </list>
    /// Other exits of the same reasons keep their own sites. Zero costs: the reason's own site.
    /// </summary>
    private sealed class TimerSteps(Scenario s)
    {
        private readonly double _armNs = s.Host.TimerArm.Resolve(s.Host.Ghz);
        private readonly double _injectNs = s.Host.TimerInject.Resolve(s.Host.Ghz);
        private readonly Dictionary<(int, int), int> _copies = [];

        public int Arm(List<ExitSite> sites, int site) => Copy(sites, site, 0x9000, _armNs);
        public int Expiry(List<ExitSite> sites, int site) => Copy(sites, site, 0xA000, _injectNs);
        public int ArmExpired(List<ExitSite> sites, int site) => Copy(sites, site, 0xB000, _armNs + _injectNs);

        private int Copy(List<ExitSite> sites, int site, int keyBase, double extraNs)
        {
            if (site < 0 || extraNs == 0) return site;
            if (_copies.TryGetValue((site, keyBase), out int copy)) return copy;
            var r = sites[site];
            sites.Add(new ExitSite
            {
                Reason = r.Reason, Path = r.Path, StreamKey = keyBase + r.StreamKey,
                Save = r.Save, Handle = r.Handle, Emulate = r.Emulate, Reenter = r.Reenter,
                HandleExtraNs = r.HandleExtraNs + extraNs, Coalesced = r.Coalesced,
            });
            return _copies[(site, keyBase)] = sites.Count - 1;
        }
    }
}
