using System.Text.Json;
using ExitSim.Optimisations;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Tests.Reports;

/// <summary>The report's "Guest kernel" block: the TLB shootdowns' and kernel spinlock's counters, as the simulation kept them.</summary>
public class GuestKernelReportTests
{
    private const string Overcommitted = """
        name: gk
        host: { vendor: intel, ghz: 2.0, cores: 2, defaults: none, features: [ept, apicv, steal-time] }
        costs: { save: const(300cyc), handle: const(500cyc), reenter: const(300cyc) }
        vm: { vcpus: 4, tlb_shootdowns: { rate: 1k/s, ack: 2us } }
        exits:
          CPUID: { rate: 10/s }
        run: { duration: 200ms, warmup: 20ms, replications: 2, seed: 5 }
        """;

    [Fact]
    public void The_block_shows_what_the_shootdowns_did_and_is_absent_without_them()
    {
        var s = ScenarioLoader.Parse(Overcommitted, "gk.yaml");
        foreach (var scenario in new[] { s, OptimisationCatalog.Apply(s, ["pv-tlb-flush"]) })
        {
            var run = ExperimentRunner.Run(scenario);
            var all = new TlbShootdownStats();
            foreach (var r in run.Replications) all.Add(r.TlbShootdowns!);
            var report = ReportBuilder.Build(run);
            var sd = report.GuestKernel!.Shootdowns!;
            double vmSeconds = report.SimulatedSeconds * report.Replications;
            Assert.Equal(all.Shootdowns / vmSeconds, sd.PerSecond, 1e-9);
            Assert.Equal((double)all.Ipis / all.Shootdowns, sd.IpisPerShootdown, 1e-12);
            Assert.Equal(all.SpinNs / all.Shootdowns, sd.MeanWaitNs, 1e-9);
            Assert.Equal((all.AckedAfterPreemption, all.Skipped), (sd.AckedAfterPreemption, sd.Skipped));
            Assert.Null(report.GuestKernel.Lock);
            string text = PerfTableFormatter.Format(report);
            Assert.Contains("Guest kernel (per VM)", text);
            Assert.Contains($"skipped as preempted (PV TLB flush) {all.Skipped};", text);
            using var json = JsonDocument.Parse(JsonReportFormatter.Format(report));
            Assert.Equal(all.Skipped, json.RootElement.GetProperty("guest_kernel").GetProperty("shootdowns").GetProperty("skipped").GetInt64());
        }
        // Overcommitted, vanilla waits for preempted targets; PV TLB flush skips them instead.
        var plain = ReportBuilder.Build(ExperimentRunner.Run(s)).GuestKernel!.Shootdowns!;
        var pv = ReportBuilder.Build(ExperimentRunner.Run(OptimisationCatalog.Apply(s, ["pv-tlb-flush"]))).GuestKernel!.Shootdowns!;
        Assert.True(plain.AckedAfterPreemption > 0 && plain.Skipped == 0 && pv.Skipped > 0, $"{plain} / {pv}");

        var none = ReportBuilder.Build(ExperimentRunner.Run(ScenarioLoader.Parse(Overcommitted.Replace(", tlb_shootdowns: { rate: 1k/s, ack: 2us }", ""), "n.yaml")));
        Assert.Null(none.GuestKernel);
        Assert.DoesNotContain("Guest kernel", PerfTableFormatter.Format(none));
    }
}
