using ExitSim.Scenarios;
using ExitSim.Simulation.Interrupts;

namespace ExitSim.Simulation;

// The sender's ICR-write exit: what KVM does inside it to deliver the IPI, by the target's state.
public static partial class ModelBuilder
{
    /// <summary>
    /// The ICR write's sites: copies of its reason's site whose handle also carries the delivery KVM does inside the
    /// sender's exit (arch/x86/kvm/lapic.c kvm_apic_send_ipi → kvm_irq_delivery_to_apic_fast → __apic_accept_irq;
    /// arch/x86/kvm/vmx/vmx.c __vmx_deliver_posted_interrupt: pi_test_and_set_pir, pi_test_and_set_on, then
    /// kvm_vcpu_trigger_posted_interrupt). One copy per target state (<see cref="IcrSites"/>): the notification IPI
    /// (<c>host.ipi_send</c> whole) only to a target IN_GUEST_MODE; to a blocked one kvm_vcpu_wake_up's scheduler wake-up
    /// (<c>host.ipi_wake</c>) in its place; to any other (halt-polling, root mode, preempted, or ON already set) only the
    /// PIR/ON update (<c>ipi_send − ipi_notify</c>). The fastpath runs the same delivery (handle_fastpath_set_x2apic_icr_irqoff
    /// → kvm_x2apic_icr_write), so it keeps these costs; IPIv sends without an exit, so they go with the site. A zero
    /// extra is the reason's own site; without a split every state shares one site.
    /// </summary>
    private sealed class IpiSend(Scenario s)
    {
        private readonly double _sendNs = s.Host.IpiSend.Resolve(s.Host.Ghz);
        private readonly double _postNs = s.Host.IpiSend.Resolve(s.Host.Ghz) - s.Host.IpiNotify.Resolve(s.Host.Ghz);
        private readonly double _wakeNs = s.Host.IpiWake.Resolve(s.Host.Ghz);
        private readonly Dictionary<(int, int), int> _copies = [];

        /// <summary>The ICR write's site for a target in guest mode (today's whole send).</summary>
        public int Site(List<ExitSite> sites, int site) => Copy(sites, site, 0, _sendNs);

        /// <summary>The three sites, each passed through <paramref name="wrap"/> (the fastpath's copy, or none).</summary>
        public IcrSites Sites(List<ExitSite> sites, int site, Func<int, int> wrap)
        {
            int notify = wrap(Site(sites, site));
            if (site < 0 || (_postNs == _sendNs && _wakeNs == 0)) return new IcrSites(notify, notify, notify);
            return new IcrSites(notify, wrap(Copy(sites, site, 1, _postNs)), wrap(Copy(sites, site, 2, _postNs + _wakeNs)));
        }

        private int Copy(List<ExitSite> sites, int site, int variant, double extraNs)
        {
            if (site < 0 || extraNs == 0) return site;
            if (_copies.TryGetValue((site, variant), out int copy)) return copy;
            var r = sites[site];
            sites.Add(new ExitSite
            {
                Reason = r.Reason, Path = r.Path, StreamKey = 0x8000 + 0x100 * variant + r.StreamKey,
                Save = r.Save, Handle = r.Handle, Emulate = r.Emulate, Reenter = r.Reenter,
                HandleExtraNs = r.HandleExtraNs + extraNs, Coalesced = r.Coalesced,
            });
            return _copies[(site, variant)] = sites.Count - 1;
        }
    }
}
