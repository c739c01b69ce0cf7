using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Workload;

/// <summary>Each optimisation must act through its mechanism: these check the mechanisms one by one.</summary>
public class MechanismTests
{
    private static RunReport Report(string yaml, params string[] with)
    {
        var s = ScenarioLoader.Parse(yaml, "test.yaml");
        if (with.Length > 0) s = OptimisationCatalog.Apply(s, with);
        return ReportBuilder.Build(ExperimentRunner.Run(s));
    }

    private static long Count(RunReport r, string reason) => r.Reasons.FirstOrDefault(x => x.Name == reason)?.Samples ?? 0;

    [Fact]
    public void Virtio_notifies_less_per_request_as_the_device_gets_busier()
    {
        // Same device and costs; only the load changes. QEMU drains the ring with notifications off, so a
        // request added while it is still at work needs no notify.
        var light = Report(WorkloadYaml.Make(clients: 2, think: "exp(500us)", rx: 0, tx: 0)).Workload!;
        var busy = Report(WorkloadYaml.Make(clients: 64, think: "exp(20us)", rx: 0, tx: 0, channels: 32, backend: "exp(50us)", compute: "exp(10us)")).Workload!;
        double lightRatio = light.NotifiesPerSecond / light.DiskRequestsPerSecond;
        double busyRatio = busy.NotifiesPerSecond / busy.DiskRequestsPerSecond;
        Assert.True(lightRatio > 0.9, $"an idle virtqueue needs a notify for nearly every request, got {lightRatio:0.00}");
        Assert.True(busyRatio < 0.5 * lightRatio, $"a busy one suppresses most: {busyRatio:0.00} vs {lightRatio:0.00}");
    }

    [Fact]
    public void Emulated_disks_pay_register_exits_on_every_request()
    {
        var ide = Report(WorkloadYaml.Make(disk: "ide", rx: 0, tx: 0, clients: 2, think: "exp(500us)")).Workload!;
        // 17 port accesses to submit, plus the handler's 5 per interrupt (fewer when completions coalesce).
        Assert.InRange(ide.IoExitsPerDiskRequest, 17.0, 22.5);
        var virtio = Report(WorkloadYaml.Make(rx: 0, tx: 0, clients: 2, think: "exp(500us)")).Workload!;
        Assert.InRange(virtio.IoExitsPerDiskRequest, 0.5, 1.05);
    }

    [Fact]
    public void Posted_interrupts_remove_external_interrupt_exits_but_not_eois()
    {
        string yaml = WorkloadYaml.Make(clients: 32, think: "exp(50us)");
        var before = Report(yaml);
        var posted = Report(yaml, "posted-interrupts");
        var apicv = Report(yaml, "apicv");
        Assert.True(Count(before, "EXTERNAL_INTERRUPT") > 1000);
        Assert.Equal(0, Count(posted, "EXTERNAL_INTERRUPT"));
        Assert.Equal(0, Count(apicv, "EXTERNAL_INTERRUPT"));
        Assert.True(posted.Workload!.PostedInterruptsPerSecond > 0);
        // EOIs (x2APIC MSR writes) and interrupt windows remain with posting alone; APICv removes them.
        Assert.True(Count(posted, "INTERRUPT_WINDOW") > 0);
        Assert.Equal(0, Count(apicv, "INTERRUPT_WINDOW"));
        Assert.True(Count(apicv, "MSR_WRITE") < 0.6 * Count(posted, "MSR_WRITE"));
    }

    [Fact]
    public void Huge_pages_divide_first_touch_ept_violations_by_the_page_size_ratio()
    {
        var s = ScenarioLoader.Parse(WorkloadYaml.Make(touch: "64MiB/s"), "test.yaml");
        double Interval(Scenario x)
        {
            var m = ModelBuilder.Build(x);
            var sampler = m.GuestStreams.Single(g => m.Sites[g.Site].Reason == m.ReasonIndex("EPT_VIOLATION")).Interval;
            var rng = new ExitSim.Randomness.RandomStream(42);
            double sum = 0;
            for (int i = 0; i < 400_000; i++) sum += sampler.Sample(rng);
            return sum / 400_000;   // exponential: the sample mean is within ±0.5 % (3 sigma)
        }
        double small = Interval(s);
        Assert.Equal(4096.0 / (64 << 20) * 1e9, small, 4096.0 / (64 << 20) * 1e9 * 0.005);
        Assert.Equal(512.0, Interval(OptimisationCatalog.Apply(s, ["hugepages-2m"])) / small, 512 * 0.01);
        Assert.Equal(262_144.0, Interval(OptimisationCatalog.Apply(s, ["hugepages-1g"])) / small, 262_144 * 0.01);

        // And the simulation produces them at that rate per second of guest time (Poisson, ±5 sigma).
        var run = ExperimentRunner.Run(s);
        foreach (var r in run.Replications)
        {
            double expected = r.Time.Guest / (4096.0 / (64 << 20) * 1e9);
            long got = r.Reasons[run.Model.ReasonIndex("EPT_VIOLATION")].Count;
            Assert.InRange(got, expected - 5 * Math.Sqrt(expected), expected + 5 * Math.Sqrt(expected));
        }
    }

    [Fact]
    public void Huge_pages_shorten_page_walks_so_the_same_work_takes_less_guest_time()
    {
        var s = ScenarioLoader.Parse(WorkloadYaml.Make(), "test.yaml");
        double Factor(Scenario x) => ModelBuilder.Build(x).Workload!.TlbFactor;
        Assert.Equal(1.10, Factor(s), 1e-12);                                                      // 10 % at 24 references
        Assert.Equal(1 + 0.10 * 19 / 24, Factor(OptimisationCatalog.Apply(s, ["hugepages-2m"])), 1e-12);
        Assert.Equal(1 + 0.10 * 14 / 24, Factor(OptimisationCatalog.Apply(s, ["hugepages-1g"])), 1e-12);
    }

    [Fact]
    public void Halt_polling_lowers_wake_up_latency_and_burns_host_cpu()
    {
        // Mostly idle vCPUs with frequent, short idle periods: polling catches most wake-ups.
        string yaml = WorkloadYaml.Make(clients: 8, think: "exp(100us)");
        var off = Report(yaml).Workload!;
        var on = Report(yaml, "halt-polling").Workload!;
        Assert.Equal(0.0, off.HaltPollPct);
        Assert.Equal(0.0, off.PolledWakesPct);
        Assert.True(on.PolledWakesPct > 50, $"polled {on.PolledWakesPct:0.0}%");
        Assert.True(on.WakeLatency.P50Ns < 0.5 * off.WakeLatency.P50Ns, $"{on.WakeLatency.P50Ns} vs {off.WakeLatency.P50Ns}");
        Assert.True(on.HaltPollPct > 5, $"polling {on.HaltPollPct:0.0}% of vCPU time");
    }

    [Fact]
    public void Multiqueue_takes_the_wake_up_ipis_off_the_interrupted_vcpu()
    {
        string yaml = WorkloadYaml.Make(clients: 16, think: "exp(300us)");
        var single = Report(yaml);
        var multi = Report(yaml, "multiqueue");
        // With one queue, completions land on vCPU 0 and idle vCPUs elsewhere need a reschedule IPI (an ICR write).
        Assert.True(Count(multi, "MSR_WRITE") < 0.8 * Count(single, "MSR_WRITE"),
            $"{Count(multi, "MSR_WRITE")} vs {Count(single, "MSR_WRITE")}");
    }

    [Fact]
    public void Amd_hosts_get_svm_reason_names_and_avic()
    {
        // The Intel scenario with SVM names: npf is both the MMIO exit (to QEMU) and the page fault.
        string yaml = WorkloadYaml.Make(disk: "ahci", nic: "e1000", features: "[npt]")
            .Replace("vendor: intel", "vendor: amd")
            .Replace("  IO_INSTRUCTION:", "  io:").Replace("  EPT_MISCONFIG:", "  npf:").Replace("  EXTERNAL_INTERRUPT:", "  interrupt:")
            .Replace("  MSR_WRITE:", "  msr:").Replace("  PREEMPTION_TIMER: {}\n", "").Replace("  INTERRUPT_WINDOW:", "  vintr:")
            .Replace("  EPT_VIOLATION: { handle: \"lognormal(mean=6000cyc, cv=1.0)\" }\n", "").Replace("  HLT:", "  hlt:");
        var before = Report(yaml);
        var avic = Report(yaml, "virtio", "avic");
        Assert.True(Count(before, "npf") > 0, "npf");
        Assert.True(Count(before, "vintr") > 0, "vintr");
        Assert.True(Count(before, "hlt") > 0, "hlt");
        Assert.Equal(0, Count(avic, "vintr"));
        Assert.True(Count(avic, "npf") < 0.5 * Count(before, "npf"), $"{Count(avic, "npf")} vs {Count(before, "npf")}");
        Assert.Throws<OptimisationException>(() => OptimisationCatalog.Apply(ScenarioLoader.Parse(yaml, "amd.yaml"), ["apicv"]));
    }

    [Fact]
    public void Vhost_takes_the_nics_work_off_the_qemu_thread_and_an_iothread_the_disks()
    {
        // Disk-heavy, one packet each way: vhost-net alone leaves the disk's requests on QEMU's main loop (there
        // is no vhost-blk); an IOThread takes them to a thread of their own.
        string yaml = WorkloadYaml.Make(clients: 32, think: "exp(50us)", diskIo: 3);
        var qemu = Report(yaml);
        var vhost = Report(yaml, "vhost");
        var both = Report(yaml, "vhost", "iothread");
        Assert.Single(vhost.Workload!.VhostUtilisation);   // one vhost-net worker for the NIC's queue
        Assert.Empty(vhost.Workload.IothreadUtilisation);
        Assert.True(vhost.Workload.VhostUtilisation.Max() > 0);
        Assert.True(vhost.Qemu.MaxUtilisation > 0.5 * qemu.Qemu.MaxUtilisation, $"{vhost.Qemu.MaxUtilisation} vs {qemu.Qemu.MaxUtilisation}");
        Assert.Single(both.Workload!.IothreadUtilisation);
        Assert.True(both.Workload.IothreadUtilisation[0] > 0);
        Assert.True(both.Qemu.MaxUtilisation < 0.1 * qemu.Qemu.MaxUtilisation, $"{both.Qemu.MaxUtilisation} vs {qemu.Qemu.MaxUtilisation}");
    }
}
