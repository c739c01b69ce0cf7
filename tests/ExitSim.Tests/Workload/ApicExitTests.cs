using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Workload;

/// <summary>The local APIC's exits: PV EOI, level-triggered EOIs, and how APICv, IPIv and AVIC (full or hybrid) send IPIs.</summary>
public class ApicExitTests
{
    private static RunReport Report(string yaml, params string[] with)
    {
        var s = ScenarioLoader.Parse(yaml, "test.yaml");
        if (with.Length > 0) s = OptimisationCatalog.Apply(s, with);
        return ReportBuilder.Build(ExperimentRunner.Run(s));
    }

    private static long Count(RunReport r, string reason) => r.Reasons.FirstOrDefault(x => x.Name == reason)?.Samples ?? 0;

    /// <summary>EOIs and ICR writes as xAPIC page accesses, so that no other exit shares their reason.</summary>
    private static string Xapic(string yaml) => yaml.Replace("wake: ", "apic: xapic, wake: ");

    /// <summary>The test VM on an AMD host, with SVM reason names.</summary>
    private static string Amd(string yaml) => yaml
        .Replace("vendor: intel", "vendor: amd")
        .Replace("  IO_INSTRUCTION:", "  io:").Replace("  EPT_MISCONFIG:", "  npf:").Replace("  EXTERNAL_INTERRUPT:", "  interrupt:")
        .Replace("  MSR_WRITE:", "  msr:").Replace("  PREEMPTION_TIMER: {}\n", "").Replace("  INTERRUPT_WINDOW:", "  vintr:")
        .Replace("  EPT_VIOLATION: { handle: \"lognormal(mean=6000cyc, cv=1.0)\" }\n", "").Replace("  HLT:", "  hlt:");

    [Fact]
    public void Pv_eoi_removes_the_eoi_exit_of_an_edge_interrupt_alone_in_service()
    {
        // One vCPU (no IPIs), an AHCI disk (MSI) and virtio-net (MSI-X), both edge: every APIC_ACCESS is an EOI.
        // Busy enough that interrupts pile up while the vCPU waits for QEMU's emulation of AHCI registers.
        string yaml = Xapic(WorkloadYaml.Make(vcpus: 1, clients: 64, think: "exp(20us)", disk: "ahci"));
        long without = Count(Report(yaml), "APIC_ACCESS");
        long with = Count(Report(yaml, "pv-eoi"), "APIC_ACCESS");
        Assert.True(without > 1000, $"{without} EOIs");
        // Left: EOIs taken while another interrupt was pending, which KVM does not arm PV EOI for.
        Assert.True(with < 0.2 * without, $"{with} EOI exits with PV EOI vs {without} without");
        Assert.True(with > 0, "an EOI with another interrupt pending still exits");
    }

    [Fact]
    public void Pv_eoi_leaves_a_level_triggered_eoi_alone()
    {
        // An e1000 interrupts through a level-triggered IOAPIC pin (INTx): KVM never arms PV EOI for it.
        string yaml = Xapic(WorkloadYaml.Make(vcpus: 1, clients: 4, think: "exp(300us)", diskIo: 0, nic: "e1000"));
        long without = Count(Report(yaml), "APIC_ACCESS");
        Assert.True(without > 1000, $"{without} EOIs");
        Assert.Equal(without, Count(Report(yaml, "pv-eoi"), "APIC_ACCESS"));
    }

    [Fact]
    public void Pv_eoi_changes_nothing_with_apicv_or_avic()
    {
        // With APICv/AVIC active KVM never arms PV EOI: even hybrid-AVIC, whose x2APIC EOIs are msr exits, keeps every one.
        string amd = Amd(WorkloadYaml.Make(vcpus: 1, clients: 16, think: "exp(100us)", features: "[npt]"));
        var hybrid = Report(amd, "avic");
        Assert.True(Count(hybrid, "msr") > 1000);
        Assert.Equal(Count(hybrid, "msr"), Count(Report(amd, "avic", "pv-eoi"), "msr"));
        string intel = WorkloadYaml.Make(clients: 16, think: "exp(200us)", nic: "e1000");
        Assert.Equal(Report(intel, "apicv").Reasons.Select(r => (r.Name, r.Samples)), Report(intel, "apicv", "pv-eoi").Reasons.Select(r => (r.Name, r.Samples)));
    }

    [Fact]
    public void Apicv_keeps_level_triggered_eois_as_eoi_induced_exits()
    {
        string e1000 = WorkloadYaml.Make(clients: 16, think: "exp(200us)", diskIo: 0, nic: "e1000");
        var r = Report(e1000, "apicv");
        Assert.True(Count(r, "EOI_INDUCED") > 1000, $"{Count(r, "EOI_INDUCED")} EOI_INDUCED");
        // MSI-X (virtio-net) and MSI (ahci) vectors are edge: their EOIs are virtualised.
        Assert.Equal(0, Count(Report(WorkloadYaml.Make(clients: 16, think: "exp(200us)", disk: "ahci"), "apicv"), "EOI_INDUCED"));
    }

    [Fact]
    public void Apicv_in_xapic_mode_sends_ipis_through_a_trap_like_apic_write()
    {
        // Four vCPUs, one queue: completions on vCPU 0 wake the others with reschedule IPIs.
        string yaml = Xapic(WorkloadYaml.Make(clients: 16, think: "exp(300us)"));
        var before = Report(yaml);
        var apicv = Report(yaml, "apicv");
        Assert.True(Count(before, "APIC_ACCESS") > 1000);
        Assert.Equal(0, Count(apicv, "APIC_ACCESS"));
        Assert.True(Count(apicv, "APIC_WRITE") > 100, $"{Count(apicv, "APIC_WRITE")} ICR writes");
    }

    [Fact]
    public void Ipiv_removes_the_senders_exit_and_still_wakes_the_target()
    {
        string yaml = Xapic(WorkloadYaml.Make(clients: 16, think: "exp(300us)"));
        var apicv = Report(yaml, "apicv");
        var ipiv = Report(yaml, "apicv", "ipiv");
        Assert.True(Count(apicv, "APIC_WRITE") > 100);
        Assert.Equal(0, Count(ipiv, "APIC_WRITE"));
        // The targets are still woken: as many operations complete, and idle vCPUs still halt and wake.
        Assert.Equal(apicv.Workload!.ThroughputOpsPerSecond, ipiv.Workload!.ThroughputOpsPerSecond, apicv.Workload.ThroughputOpsPerSecond * 0.05);
        Assert.True(ipiv.Workload.WakeLatency.Count > 0.5 * apicv.Workload.WakeLatency.Count);
    }

    [Fact]
    public void Ipiv_needs_apicv_and_intel()
    {
        var s = ScenarioLoader.Parse(WorkloadYaml.Make(), "test.yaml");
        var e = Assert.Throws<OptimisationException>(() => OptimisationCatalog.Apply(s, ["ipiv"]));
        Assert.Contains("add apicv", e.Message);
        OptimisationCatalog.Apply(s, ["ipiv", "apicv"]);
        var amd = ScenarioLoader.Parse(Amd(WorkloadYaml.Make(features: "[npt]")), "amd.yaml");
        Assert.Contains("'ipiv' is Intel hardware", Assert.Throws<OptimisationException>(() => OptimisationCatalog.Apply(amd, ["ipiv"])).Message);
        var located = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(WorkloadYaml.Make(features: "[ept, ipiv]"), "s.yaml"));
        Assert.Contains("'ipiv' works only with apicv on", located.Message);
        Assert.StartsWith("s.yaml:2:", located.Located);
    }

    [Fact]
    public void X2avic_is_amd_and_needs_avic()
    {
        Assert.Contains("'x2avic' is an AMD feature",
            Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(WorkloadYaml.Make(features: "[ept, x2avic]"), "s.yaml")).Message);
        Assert.Contains("'x2avic' works only with avic on",
            Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Amd(WorkloadYaml.Make(features: "[npt, x2avic]")), "s.yaml")).Message);
    }

    [Fact]
    public void Avic_exits_on_an_ipi_only_when_the_target_is_blocked()
    {
        // xAPIC guest, so AVIC accelerates the ICR write: the sender exits only for a target that KVM has blocked.
        string yaml = Xapic(Amd(WorkloadYaml.Make(clients: 16, think: "exp(300us)", features: "[npt]")));
        var blocked = Report(yaml, "avic");
        var polling = Report(yaml, "avic", "halt-polling");
        long notRunning = Count(blocked, "avic_incomplete_ipi");
        Assert.True(notRunning > 100, $"{notRunning} avic_incomplete_ipi");
        // Without AVIC the same IPIs are npf exits (APIC page), with it the running targets' ones cost nothing.
        Assert.True(Count(polling, "avic_incomplete_ipi") < 0.5 * notRunning, $"{Count(polling, "avic_incomplete_ipi")} vs {notRunning}");
        Assert.True(polling.Workload!.PolledWakesPct > 0);
    }

    [Fact]
    public void Avic_without_x2avic_runs_hybrid_for_an_x2apic_guest()
    {
        // x2APIC guest: without x2AVIC, KVM emulates the x2APIC MSRs, so every EOI and ICR write is an msr exit, while
        // interrupts are still posted through the doorbell. Tickless (timer_hz: 0), so the msr exits are the APIC's alone
        // (a ticking guest adds its TSC_DEADLINE re-arms, which follow its idle periods, not the APIC mode).
        string yaml = Amd(WorkloadYaml.Make(clients: 16, think: "exp(300us)", features: "[npt]")).Replace("timer_hz: 250", "timer_hz: 0");
        var hybrid = Report(yaml, "avic");
        var full = Report(yaml.Replace("features: [npt]", "features: [npt, avic, x2avic]"));
        var before = Report(yaml);
        Assert.True(hybrid.Workload!.PostedInterruptsPerSecond > 0);
        Assert.Equal(0, Count(hybrid, "avic_incomplete_ipi"));
        Assert.True(Count(hybrid, "msr") > 0.8 * Count(before, "msr"), $"{Count(hybrid, "msr")} vs {Count(before, "msr")} msr exits");
        Assert.True(Count(full, "msr") < 0.5 * Count(hybrid, "msr"), $"{Count(full, "msr")} vs {Count(hybrid, "msr")} msr exits");
        Assert.True(Count(full, "avic_incomplete_ipi") > 0);
    }

    [Fact]
    public void Avic_traps_the_eoi_of_a_level_triggered_interrupt()
    {
        string yaml = Xapic(Amd(WorkloadYaml.Make(clients: 16, think: "exp(200us)", diskIo: 0, nic: "e1000", features: "[npt]")));
        var r = Report(yaml, "avic");
        Assert.True(Count(r, "avic_unaccelerated_access") > 1000, $"{Count(r, "avic_unaccelerated_access")}");
    }
}
