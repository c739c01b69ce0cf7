using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Simulation.Vcpus;

/// <summary>The guest's TLB shootdowns compiled for simulation (<c>vm.tlb_shootdowns</c> and the PV features that change them).</summary>
internal sealed record TlbShootdownParameters
{
    /// <summary>The guest-clock stream of shootdowns.</summary>
    public required int Stream { get; init; }
    /// <summary>The sender's exit per IPI'd target (its ICR write), or -1 when none exits (IPIv, or PV IPI).</summary>
    public required int SiteIcr { get; init; }
    /// <summary>AVIC: the ICR write exits only for a target that is not running (avic_incomplete_ipi).</summary>
    public required bool IcrOnlyToNotRunning { get; init; }
    /// <summary>
    /// AVIC (xAPIC, or x2APIC with x2avic): the avic_incomplete_ipi site of a shorthand broadcast (the guest flushes every other
    /// vCPU: one "all excluding self" ICR write), whose handle carries KVM's slow path over every vCPU (<see cref="AvicBroadcast"/>);
    /// -1 elsewhere.
    /// </summary>
    public int SiteBroadcast { get; init; } = -1;
    /// <summary>VMCALL (AMD: hypercall): KVM_HC_SEND_IPI and KVM_HC_SCHED_YIELD; -1 when neither is on.</summary>
    public required int SiteHypercall { get; init; }
    /// <summary>A running target's IPI-to-acknowledgement time.</summary>
    public required double AckNs { get; init; }
    /// <summary>KVM_FEATURE_PV_TLB_FLUSH (with steal time): preempted targets are skipped and flushed at their next entry.</summary>
    public required bool PvTlbFlush { get; init; }
    /// <summary>KVM_FEATURE_PV_SCHED_YIELD (with steal time): the sender yields its core to a preempted target.</summary>
    public required bool PvSchedYield { get; init; }
    /// <summary>KVM_FEATURE_PV_SEND_IPI: one hypercall sends the whole multicast.</summary>
    public required bool PvIpi { get; init; }
    /// <summary>The PAUSE exit of pause-loop exiting (the wait is a PAUSE loop at CPL 0), and its window at reset and cap (ns of spinning).</summary>
    public required int SitePause { get; init; }
    public required double PleWindowNs { get; init; }
    public required double PleMaxWindowNs { get; init; }
    /// <summary>vCPUs per VM: a shootdown targets the other vCPUs of its own VM (its process's mm spans them).</summary>
    public required int VcpusPerVm { get; init; }

    /// <summary>
    /// The shootdown stream and the exits it needs, from the scenario (null without <c>vm.tlb_shootdowns</c>); <paramref name="add"/>
    /// adds a reason (with the scenario's spec for it) and returns its site. PV TLB flush and sched yield need steal time: the guest
    /// reads the preempted flag there (arch/x86/kernel/kvm.c kvm_guest_init, kvm_vcpu_is_preempted).
    /// </summary>
    public static TlbShootdownParameters? Build(Scenario s, List<GuestClockStream> guest, Func<string, ExitSpec?, int> add)
    {
        if (s.Vm.TlbShootdowns is not { } spec) return null;
        var f = s.Host.Features;
        bool steal = f.Contains("steal-time"), pvIpi = f.Contains("pv-ipi"), yield = steal && f.Contains("pv-sched-yield");
        int Reason(string name) => add(name, s.Exits.FirstOrDefault(e => e.Reason == name));
        var apic = ApicExits.For(s.Host.Vendor, s.Interrupts.Apic, f);
        int icr = !pvIpi && apic.Icr is { } name ? Reason(name) : -1;
        // The shorthand is the guest's choice whatever PV IPI says (kvm_setup_pv_ipi replaces send_IPI_mask, not send_IPI_allbutself).
        int broadcast = apic.IcrOnlyToBlocked ? Reason(apic.Icr!) : -1;
        int hypercall = pvIpi || yield ? Reason(MechanismReasons.For(s.Host.Vendor, "VMCALL")) : -1;
        string pause = MechanismReasons.For(s.Host.Vendor, MechanismReasons.Pause);
        var ple = PauseLoopParameters.For(s.Host.Vendor, s.Host.Ghz, Reason(pause), -1, Sampler.Zero);
        int stream = guest.Count;
        // Its own stream key (apart from the reasons' codes, the devices' 0x1000… and the spin-waits' 0x5000): no other stream shifts.
        guest.Add(new GuestClockStream { Site = -1, StreamKey = 0x5001, Interval = Sampler.Exponential(1e9 / spec.Rate) });
        return new TlbShootdownParameters
        {
            Stream = stream,
            SiteIcr = icr,
            IcrOnlyToNotRunning = apic.IcrOnlyToBlocked,
            SiteBroadcast = broadcast,
            SiteHypercall = hypercall,
            AckNs = spec.AckNs,
            PvTlbFlush = steal && f.Contains("pv-tlb-flush"),
            PvSchedYield = yield,
            PvIpi = pvIpi,
            SitePause = ple.Site,
            PleWindowNs = ple.WindowNs,
            PleMaxWindowNs = ple.MaxWindowNs,
            VcpusPerVm = s.Vm.Vcpus,
        };
    }
}
