using System.Text;
using ExitSim.Cli.Outputs;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Statistics;

namespace ExitSim.Cli;

/// <summary>
/// Writes replication 0 of a run as a host tool would show it, so that simulate → export →
/// calibrate → simulate round-trips. Replication 0 is simulated again with a recorder: with the
/// same seed it is exactly the replication the report counted.
/// </summary>
public static class TraceExport
{
    public static void Write(OutputSet outputs, OutputPath file, Scenario scenario, string format, CancellationToken cancel = default)
    {
        var model = ModelBuilder.Build(scenario);
        var recorder = new ExitRecorder();
        var rep0 = new Replication(model, scenario.Run.Seed, 0, recorder).Run(cancel);
        if (format == "ftrace")
        {
            outputs.Write(file, stream =>
            {
                using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                FtraceWriter.Write(w, model, recorder.Exits, scenario.Name, scenario.Run.Seed);
            });
            return;
        }
        // perf times an exit from kvm_exit to kvm_entry: without the hardware save and reenter halves.
        var seen = model.Reasons.Select(_ => new ExitAccumulator()).ToArray();
        foreach (var e in recorder.Exits.Where(e => e.Start >= model.WarmupNs))
            seen[e.Reason].Record(0, e.Handle, e.Wait, e.Emulate, 0);
        var traced = new ReplicationResult
        {
            Replication = 0, WindowNs = rep0.WindowNs, Reasons = seen, Time = rep0.Time, VcpuTime = rep0.VcpuTime,
            QemuUtilisation = rep0.QemuUtilisation, QemuServed = rep0.QemuServed, QemuWaitNs = rep0.QemuWaitNs,
            Host = rep0.Host, Events = rep0.Events, Timeline = rep0.Timeline, TimelineBinNs = rep0.TimelineBinNs,
            Workload = rep0.Workload,
        };
        var report = ReportBuilder.Build(new RunResult { Scenario = scenario, Model = model, Replications = [traced], WallSeconds = 0 });
        outputs.Write(file, PerfTableFormatter.Table(report));
    }
}
