using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Workload;

/// <summary>
/// What KVM's delivery of an IPI costs the sender's ICR-write exit, by the target's state when KVM delivers it
/// (arch/x86/kvm/vmx/vmx.c __vmx_deliver_posted_interrupt → kvm_vcpu_trigger_posted_interrupt): the notification IPI only
/// to a target IN_GUEST_MODE, kvm_vcpu_wake_up's try_to_wake_up to a blocked one, and only the PIR/ON update to a
/// halt-polling, root-mode or preempted one, or when ON is already set. And PI.SN: an IOMMU post to a preempted vCPU
/// sends no notification (vmx_vcpu_pi_put).
/// </summary>
public class IpiDeliveryTests
{
    // host.ipi_send 250 cyc of which the notification is 100; the wake-up 1,000 cyc; handle 500 cyc; 2 GHz.
    private const double Handle = 500, Send = 250, Notify = 100, Wake = 1000, Ghz = 2.0;

    /// <summary>Two vCPUs passing one message back and forth: every wake-up is an IPI from one to the other, which is idle.</summary>
    private static string PingPong(string vm, string features = "[ept, apicv]", string split = "ipi_notify: 100cyc, ipi_wake: 1000cyc") => $$"""
        name: ping-pong
        host: { vendor: intel, ghz: 2.0, cores: 4, defaults: none, features: {{features}}, ipi_send: 250cyc, {{split}} }
        costs: { save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) }
        vm: { vcpus: 2, {{vm}} }
        workload: { kind: closed, clients: 1, ping_pong: true, op: { compute: const(15us) } }
        interrupts: { handler: const(500ns), wake: const(5us) }
        exits: { HLT: {}, MSR_WRITE: {} }
        run: { duration: 20ms, warmup: 2ms, replications: 2, seed: 3 }
        """;

    private static RunResult Run(string yaml) => ExperimentRunner.Run(ScenarioLoader.Parse(yaml, "test.yaml"));

    /// <summary>The ICR write's mean handle in cycles (the ping-pong's only MSR_WRITE) and how many there were.</summary>
    private static (double Cycles, long Count) IcrHandle(RunResult r)
    {
        int i = r.Model.ReasonIndex("MSR_WRITE");
        long n = r.Replications.Sum(x => x.Reasons[i].Count);
        return (r.Replications.Sum(x => x.Reasons[i].Handle) / n * Ghz, n);
    }

    [Fact]
    public void A_target_in_guest_mode_costs_the_sender_the_whole_send_with_its_notification()
    {
        // HLT passed through (disable-exits): the idle target halts in guest mode, so KVM sends the notification IPI.
        var (cycles, n) = IcrHandle(Run(PingPong("halt_poll: 0ns", "[ept, apicv, disable-exits]")));
        Assert.True(n > 500, $"{n} ICR writes");
        Assert.Equal(Handle + Send, cycles, 6);
    }

    [Fact]
    public void A_halt_polling_target_costs_only_the_pir_and_on_update()
    {
        var r = Run(PingPong("halt_poll: 300us"));
        var w = r.Replications.Select(x => x.Workload!).ToArray();
        Assert.InRange(w.Sum(x => x.Wakes) - w.Sum(x => x.PolledWakes), 0, 4);   // after the window opens every wake is polled
        var (cycles, _) = IcrHandle(r);
        // Within the first halts' polling window the send is Send − Notify; the one or two blocked wake-ups of each
        // replication's opening add their wake-up to the mean.
        Assert.InRange(cycles, Handle + Send - Notify, Handle + Send - Notify + 2.0 * 2 * Wake / IcrHandle(r).Count + 1e-6);
        Assert.True(cycles < Handle + Send, $"{cycles} cyc: the notification is not sent to a target polling in the host");
    }

    [Fact]
    public void A_blocked_target_costs_the_sender_the_wake_up_instead_of_the_notification()
    {
        var (cycles, n) = IcrHandle(Run(PingPong("halt_poll: 0ns")));
        Assert.True(n > 500, $"{n} ICR writes");
        Assert.Equal(Handle + Send - Notify + Wake, cycles, 6);
    }

    [Fact]
    public void Without_a_split_every_state_pays_the_whole_send_as_before()
    {
        foreach (var vm in new[] { "halt_poll: 0ns", "halt_poll: 300us" })
            Assert.Equal(Handle + Send, IcrHandle(Run(PingPong(vm, split: "ipi_notify: 0cyc"))).Cycles, 6);
    }

    [Fact]
    public void With_on_already_set_a_second_post_neither_notifies_nor_wakes()
    {
        var model = ModelBuilder.Build(ScenarioLoader.Parse(PingPong("halt_poll: 0ns"), "test.yaml"));
        var icr = model.Workload!.Icr;
        Assert.Equal(3, new[] { icr.Notify, icr.Post, icr.Wake }.Distinct().Count());
        var sim = new Replication(model, 1, 0);
        var v = sim.Vcpus[1];
        // Blocked in a halt since t = 1 µs (no polling window).
        v.ResumeAt = double.PositiveInfinity;
        v.Idle.Halted = true;
        v.Idle.HaltStart = v.Idle.PollUntil = 1_000;
        Assert.Equal(icr.Wake, sim.Interrupts!.IcrSite(1, 2_000));
        // A first post (a device's interrupt, say) sets ON and wakes it: a second post before it enters sends nothing.
        v.Pi.PostOutsideGuest(2_000);
        Assert.Equal(icr.Post, sim.Interrupts.IcrSite(1, 2_500));
        // Woken, it enters at 7 µs (sync_pir_to_irr clears ON): a post now finds it in the guest and notifies.
        v.Idle.Halted = false;
        v.ResumeAt = 7_000;
        Assert.Equal(icr.Post, sim.Interrupts.IcrSite(1, 6_000));   // still on its way in: ON still set
        Assert.Equal(icr.Notify, sim.Interrupts.IcrSite(1, 8_000));
        // It exits again (a root-mode exit): its entry at 7 µs cleared ON for good, and a post now is only the PIR/ON update.
        v.LeaveGuest(9_000);
        v.ResumeAt = 10_000;
        Assert.Equal(icr.Post, sim.Interrupts.IcrSite(1, 9_500));
        Assert.Equal(icr.Notify, sim.Interrupts.IcrSite(1, 10_500));
    }

    [Fact]
    public void A_preempted_or_mid_exit_target_costs_only_the_pir_and_on_update()
    {
        var model = ModelBuilder.Build(ScenarioLoader.Parse(PingPong("halt_poll: 0ns"), "test.yaml"));
        var icr = model.Workload!.Icr;
        var sim = new Replication(model, 1, 0);
        var v = sim.Vcpus[1];
        // Runnable but its core taken by another thread until 5 µs: not IN_GUEST_MODE, and kvm_vcpu_wake_up finds no waiter.
        v.Core.StolenUntil = 5_000;
        v.ResumeAt = 5_000;
        Assert.True(v.Preempted(1_000));
        Assert.Equal(icr.Post, sim.Interrupts!.IcrSite(1, 1_000));
        Assert.Equal(icr.Notify, sim.Interrupts.IcrSite(1, 6_000));   // back in the guest
        // In an exit whose end is not known yet (waiting for QEMU): root mode.
        v.ResumeAt = double.PositiveInfinity;
        Assert.Equal(icr.Post, sim.Interrupts.IcrSite(1, 7_000));
    }

    [Fact]
    public void A_device_interrupt_to_a_preempted_vcpu_sends_no_notification_and_no_exit_and_is_taken_at_its_next_entry()
    {
        // Four busy vCPUs on two cores, a passed-through NIC posted by VT-d: some packets find their vCPU preempted.
        string yaml = WorkloadYaml.Make(vcpus: 4, clients: 32, think: "exp(20us)", compute: "exp(20us)", diskIo: 0, rx: 1, tx: 1,
                features: "[ept, apicv, vtd-pi]", touch: "0B/s", masked: 0, duration: "100ms")
            .Replace("cores: 8", "cores: 2").Replace("timer_hz: 250, ", "");
        var s = OptimisationCatalog.Apply(ScenarioLoader.Parse(yaml, "test.yaml"), ["vfio-nic"]);
        var r = ExperimentRunner.Run(s);
        var w = r.Replications.Select(x => x.Workload!).ToArray();
        long suppressed = w.Sum(x => x.SuppressedNotifications);
        Assert.True(suppressed > 10, $"{suppressed} posts to a preempted vCPU");
        // No exit for them (nor for any posted interrupt): the vCPU takes them from PIR when it is scheduled in again.
        int ext = r.Model.ReasonIndex("EXTERNAL_INTERRUPT");
        Assert.Equal(0, ext < 0 ? 0 : r.Replications.Sum(x => x.Reasons[ext].Count));
        Assert.True(w.Sum(x => x.OperationsCompleted) > 1000);
        // The report says how many (per second, per VM).
        var report = ExitSim.Reports.ReportBuilder.Build(r);
        Assert.Equal(suppressed / (report.SimulatedSeconds * r.Replications.Count), report.Workload!.SuppressedNotificationsPerSecond, 1e-6);
        Assert.Contains("posted without a notification (PI.SN)", ExitSim.Reports.PerfTableFormatter.Format(report));
        // Without VT-d PI the IOMMU remaps instead of posting: SN does not apply.
        var remapped = ExperimentRunner.Run(OptimisationCatalog.Apply(ScenarioLoader.Parse(yaml.Replace(", vtd-pi", ""), "test.yaml"), ["vfio-nic"]));
        Assert.Equal(0, remapped.Replications.Sum(x => x.Workload!.SuppressedNotifications));
    }

    [Fact]
    public void A_notification_part_larger_than_the_send_is_refused_with_its_line()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(PingPong("halt_poll: 0ns", split: "ipi_notify: 300cyc"), "p.yaml"));
        Assert.StartsWith("p.yaml:2:", e.Located);
        Assert.Contains("ipi_notify", e.Message);
    }

    [Fact]
    public void The_split_round_trips_through_the_writer()
    {
        var s = ScenarioLoader.Parse(PingPong("halt_poll: 0ns"), "p.yaml");
        var back = ScenarioLoader.Parse(ScenarioWriter.Write(s), "back.yaml");
        Assert.Equal(s.Host.IpiNotify, back.Host.IpiNotify);
        Assert.Equal(s.Host.IpiWake, back.Host.IpiWake);
        Assert.Equal(ExitSim.Units.Quantity.Cycles(100), back.Host.IpiNotify);
    }
}
