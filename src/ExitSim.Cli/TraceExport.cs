using System.Text;
using ExitSim.Cli.Outputs;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Cli;

/// <summary>
/// Writes replication 0 of a run as a host tool would show it, so that simulate → export →
/// calibrate → simulate round-trips. Replication 0 is simulated again with a sink: with the same
/// seed it is exactly the replication the report counted. Nothing is kept per exit: ftrace lines are
/// streamed to the file as the replication runs; the perf table is replication 0's report, whose times
/// are perf's (kvm_exit → kvm_entry, HLT with its halted time).
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
        // The perf table's columns are perf's own measure (kvm_exit → kvm_entry), which every report carries.
        var rep0 = new Replication(model, scenario.Run.Seed, 0).Run(cancel);
        var report = ReportBuilder.Build(new RunResult { Scenario = scenario, Model = model, Replications = [rep0], WallSeconds = 0 });
        outputs.Write(file, PerfTableFormatter.Table(report));
    }
}
