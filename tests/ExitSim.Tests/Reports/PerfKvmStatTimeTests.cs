using System.Globalization;
using ExitSim.Calibration.Importers;
using ExitSim.Reports;
using ExitSim.Tests.Cli;
using ExitSim.Tests.Plots;
using ExitSim.Tests.Simulation;
using ExitSim.Tests.Workload;

namespace ExitSim.Tests.Reports;

/// <summary>
/// The perf-shaped table times an exit as perf kvm stat does, from kvm_exit to kvm_entry
/// (tools/perf/arch/x86/util/kvm-stat.c): without the hardware save and reenter, and HLT with its halted time.
/// </summary>
public class PerfKvmStatTimeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // MSR_WRITE only, constant phases: handle 900 cycles = 450 ns at 2 GHz; save and reenter 150 ns each.
    private const string MsrOnly = """
        name: msr-only
        host: { vendor: intel, ghz: 2.0, cores: 8 }
        costs: { save: const(300cyc), handle: const(900cyc), reenter: const(300cyc) }
        vm: { vcpus: 2 }
        exits:
          MSR_WRITE: { rate: 20k/s }
        run: { duration: 50ms, warmup: 0s, replications: 2, seed: 5 }
        """;

    [Fact]
    public void The_perf_table_times_an_exit_from_kvm_exit_to_kvm_entry_not_save_to_reenter()
    {
        var r = Run.Report(MsrOnly);
        var msr = Assert.Single(r.Reasons, x => x.Samples > 0);
        Assert.Equal(450, msr.PerfAvgNs, 1e-6);
        Assert.Equal(450, msr.PerfMinNs, 1e-6);
        Assert.Equal(450, msr.PerfMaxNs, 1e-6);
        Assert.Equal(750, msr.AvgNs, 1e-6);     // the model's exit latency keeps save and reenter
        string row = PerfTableFormatter.Table(r).Split('\n').Single(l => l.TrimStart().StartsWith("MSR_WRITE", StringComparison.Ordinal));
        Assert.Matches(@"\s0\.45us\s+0\.45us\s+0\.45us \( \+-\s+0\.00% \)$", row);
        Assert.Contains("mean exit latency   750ns", PerfTableFormatter.Format(r));
    }

    // A mostly idle guest: two clients per vCPU, each thinking ~2 ms between short operations, so the vCPUs are halted most of the time.
    private static string Idle() => WorkloadYaml.Make(clients: 8, think: "exp(2ms)", compute: "exp(20us)", duration: "300ms");

    [Fact]
    public void On_an_idle_guest_HLT_takes_the_perf_time_its_halted_share_gives_it()
    {
        var r = Run.Report(Idle());
        var hlt = r.Reasons.Single(x => x.Name == "HLT");
        Assert.True(r.Workload!.HaltedPct > 80, $"halted {r.Workload.HaltedPct}% (the scenario should be idle)");
        // perf's HLT time is kvm_exit → kvm_entry: handle, halted (polling or blocked), wake-up.
        Assert.True(hlt.PerfAvgNs > hlt.MeanHaltedNs + hlt.MeanHandleNs, $"HLT perf avg {hlt.PerfAvgNs} vs halted {hlt.MeanHaltedNs}");
        // Its total is the vCPUs' halted time (up to halts cut by the window's ends): the halted share of vCPU time.
        double vcpuTime = r.VcpusPerVm * r.VmCount * r.SimulatedSeconds * 1e9 * r.Replications;
        double hltPerfShareOfVcpuTime = 100 * hlt.PerfAvgNs * hlt.Samples / vcpuTime;
        Assert.True(Math.Abs(hltPerfShareOfVcpuTime / r.Workload.HaltedPct - 1) < 0.03, $"HLT perf time {hltPerfShareOfVcpuTime:0.00}% of vCPU time, halted {r.Workload.HaltedPct:0.00}%");
        Assert.True(hlt.PerfTimePct > 90, $"HLT Time% {hlt.PerfTimePct}");
        Assert.True(hlt.TimePct < hlt.PerfTimePct, $"HLT's share of exit latency {hlt.TimePct}% (halted time is not latency)");
        string row = PerfTableFormatter.Table(r).Split('\n').Single(l => l.TrimStart().StartsWith("HLT ", StringComparison.Ordinal));
        double printed = double.Parse(row.Split('%', StringSplitOptions.TrimEntries)[1].Split(' ')[^1], CultureInfo.InvariantCulture);
        Assert.Equal(hlt.PerfTimePct, printed, 0.01);
    }

    [Fact]
    public void The_ftrace_and_perf_kvm_stat_exports_time_HLT_and_MSR_WRITE_alike()
    {
        string yaml = _dir.File("idle.yaml"), ftrace = _dir.File("idle.trace"), perf = _dir.File("idle.perf");
        File.WriteAllText(yaml, Idle().Replace("warmup: 50ms", "warmup: 0s"));   // the trace has every exit, the table those after the warm-up
        Assert.Equal(0, CliRunner.Run("run", yaml, "--duration", "100ms", "-r", "1", "--export-trace", ftrace).ExitCode);
        Assert.Equal(0, CliRunner.Run("run", yaml, "--duration", "100ms", "-r", "1", "--export-trace", perf, "--trace-format", "perf-kvm-stat").ExitCode);
        var fromTrace = MeasurementImporter.Import(ftrace).Single();
        var fromPerf = MeasurementImporter.Import(perf).Single();
        foreach (var name in new[] { "HLT", "MSR_WRITE" })
        {
            double t = fromTrace.Reasons.Single(x => x.Name == name).MeanNs!.Value, p = fromPerf.Reasons.Single(x => x.Name == name).MeanNs!.Value;
            // perf prints two decimals of a microsecond; the trace counts exits that end after the window too.
            Assert.True(Math.Abs(p / t - 1) < 0.03, $"{name}: ftrace kvm_exit→kvm_entry {t} ns, perf-kvm-stat export {p} ns");
        }
    }
}
