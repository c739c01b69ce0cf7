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
/// calibrate → simulate round-trips. Replication 0 is simulated again with a sink: with the same
/// seed it is exactly the replication the report counted. Nothing is kept per exit: ftrace lines are
/// streamed to the file as the replication runs, the perf table is counted as it goes.
/// </summary>
public static class TraceExport
{
    public static void Write(OutputSet outputs, OutputPath file, Scenario scenario, string format, CancellationToken cancel = default)
    {
        var model = ModelBuilder.Build(scenario);
        if (format == "ftrace")
        {
            outputs.Write(file, stream =>
            {
                using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                var sink = new FtraceSink(w, model, scenario.Name, scenario.Run.Seed);
                new Replication(model, scenario.Run.Seed, 0, sink).Run(cancel);
                sink.Finish();
            });
            return;
        }
        var counts = new PerfCounts(model);
        var rep0 = new Replication(model, scenario.Run.Seed, 0, counts).Run(cancel);
        var traced = new ReplicationResult
        {
            Replication = 0, WindowNs = rep0.WindowNs, Reasons = counts.Reasons, Time = rep0.Time, VcpuTime = rep0.VcpuTime,
            QemuUtilisation = rep0.QemuUtilisation, QemuServed = rep0.QemuServed, QemuWaitNs = rep0.QemuWaitNs,
            Host = rep0.Host, Events = rep0.Events, Timeline = rep0.Timeline, TimelineBinNs = rep0.TimelineBinNs,
            Workload = rep0.Workload,
        };
        var report = ReportBuilder.Build(new RunResult { Scenario = scenario, Model = model, Replications = [traced], WallSeconds = 0 });
        outputs.Write(file, PerfTableFormatter.Table(report));
    }

    /// <summary>
    /// What perf kvm stat counts per reason in the window: it times an exit from kvm_exit to kvm_entry,
    /// without the hardware save and reenter halves.
    /// </summary>
    private sealed class PerfCounts(SimulationModel model) : IExitSink
    {
        public ExitAccumulator[] Reasons { get; } = model.Reasons.Select(_ => new ExitAccumulator()).ToArray();

        public void OnExit(in ExitRecord e)
        {
            if (e.Start >= model.WarmupNs) Reasons[e.Reason].Record(0, e.Handle, e.Wait, e.Emulate, 0);
        }
    }
}
