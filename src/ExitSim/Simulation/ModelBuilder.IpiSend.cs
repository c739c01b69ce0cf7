using ExitSim.Scenarios;

namespace ExitSim.Simulation;

// The sender's ICR-write exit: what KVM does inside it to deliver the IPI.
public static partial class ModelBuilder
{
    /// <summary>
    /// The ICR write's site: a copy of its reason's site whose handle also carries <c>host.ipi_send</c>, the delivery KVM
    /// does inside the sender's exit (arch/x86/kvm/lapic.c kvm_apic_send_ipi → kvm_irq_delivery_to_apic_fast →
    /// __apic_accept_irq; arch/x86/kvm/vmx/posted_intr.c/vmx.c vmx_deliver_posted_interrupt: PIR bit and ON set, then the
    /// notification IPI, a physical ICR write on the host). The fastpath runs the same delivery (handle_fastpath_set_x2apic_icr_irqoff
    /// → kvm_x2apic_icr_write), so it keeps this cost; IPIv sends without an exit, so the cost goes with the site.
    /// Other exits of the same reason (other MSR writes) keep the reason's own site. Zero: the reason's own site.
    /// </summary>
    private sealed class IpiSend(Scenario s)
    {
        private readonly double _sendNs = s.Host.IpiSend.Resolve(s.Host.Ghz);
        private readonly Dictionary<int, int> _copies = [];

        public int Site(List<ExitSite> sites, int site)
        {
            if (site < 0 || _sendNs == 0) return site;
            if (_copies.TryGetValue(site, out int copy)) return copy;
            var r = sites[site];
            sites.Add(new ExitSite
            {
                Reason = r.Reason, Path = r.Path, StreamKey = 0x8000 + r.StreamKey,
                Save = r.Save, Handle = r.Handle, Emulate = r.Emulate, Reenter = r.Reenter,
                HandleExtraNs = r.HandleExtraNs + _sendNs, Coalesced = r.Coalesced,
            });
            return _copies[site] = sites.Count - 1;
        }
    }
}
