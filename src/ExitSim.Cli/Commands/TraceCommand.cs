using System.CommandLine;
using System.Globalization;
using System.Text;
using ExitSim.Cli.Outputs;
using ExitSim.Plots;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;
using ExitSim.Units;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim trace FILE [--vcpu N] [--from T] [--until T] [--plot DIR]</c>: what one vCPU did, segment
/// by segment — guest runs and each exit's phases, with the QEMU queue it found — for teaching.
/// </summary>
public static class TraceCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Scenario YAML file" };
        var vcpu = new Option<string?>("--vcpu") { Description = "vCPU to follow (default 0)" };
        var from = new Option<string?>("--from") { Description = "Start, in simulated time (default: the end of the warm-up)" };
        var until = new Option<string?>("--until") { Description = "End, in simulated time (default: 100 us after --from)" };
        var seed = CliOptions.SeedOption();
        var plot = new Option<string?>("--plot") { Description = "Also write the Gantt chart (PNG and SVG) into this directory" };
        var cmd = new Command("trace", "An annotated timeline of one vCPU: guest runs, exits and their phases") { file, vcpu, from, until, seed, plot };
        cmd.SetAction(pr =>
        {
            var plotDir = pr.GetValue(plot) is { } pd ? OutputPath.Directory("--plot", pd) : null;
            var scenario = ExperimentRunner.Apply(ScenarioLoader.LoadFile(pr.GetValue(file)!), new RunOptions { Seed = CliOptions.Seed(pr.GetValue(seed)) });
            var model = ModelBuilder.Build(scenario);
            int v = CliOptions.Count(pr.GetValue(vcpu), "--vcpu", 0) ?? 0;
            if (v >= model.VcpuCount) throw new UsageException($"--vcpu: the scenario has vCPUs 0..{model.VcpuCount - 1}, got {v}");
            double end = model.WarmupNs + model.DurationNs;
            double t0 = Time(pr.GetValue(from), "--from") ?? model.WarmupNs;
            double t1 = Time(pr.GetValue(until), "--until") ?? t0 + 100_000;
            if (t0 >= end) throw new UsageException($"--from: the run ends at {UnitFormat.Time(end)}");
            if (t1 <= t0) throw new UsageException("--until must be after --from");
            t1 = Math.Min(t1, end);

            var timeline = new VcpuTimelineRecorder(model, v, t0, t1);
            var all = new ExitRecorder();
            new Replication(model, scenario.Run.Seed, 0, new BothSinks(timeline, all)).Run(ctx.Cancel);
            var segments = timeline.Timeline();
            if (plotDir is not null)
            {
                using var outputs = new OutputSet(ctx.Cancel);
                RunArtifacts.WriteChart(outputs, plotDir, $"vcpu{v}-timeline", new VcpuGanttChart(segments, scenario.Name));
                outputs.Commit();
            }
            ctx.Out.Write(Format(scenario, model, v, t0, t1, segments, all.Exits));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static double? Time(string? text, string option) => text is null ? null : CliOptions.Duration(text, option);

    private static string Format(Scenario s, SimulationModel m, int v, double t0, double t1, VcpuTimeline timeline, IReadOnlyList<ExitRecord> exits)
    {
        var inv = CultureInfo.InvariantCulture;
        var w = new StringBuilder();
        w.Append($"# exitsim trace {s.Name}: vCPU {v} from {UnitFormat.Time(t0)} to {UnitFormat.Time(t1)} (replication 0, seed {s.Run.Seed})\n");
        w.Append($"# qemu queue: userspace exits already at vCPU {v}'s QEMU thread (waiting or being emulated) when this one arrived\n");
        w.Append($"{"time (us)",14}  {"vcpu",4}  {"event",-6} {"reason",-22} {"phase",-10} {"duration",10}  {"qemu queue",10}\n");
        int qemu = m.QemuThreadOf(v);
        string? previous = null;
        foreach (var seg in timeline.Segments)
        {
            string evt = seg.Kind == SegmentKinds.Guest ? "guest" : seg.Kind == SegmentKinds.Save ? "exit" : "";
            string queue = "";
            // A wait after a halt is the scheduler waking the vCPU, not a queue at QEMU.
            bool wake = seg.Kind == SegmentKinds.Wait && previous == SegmentKinds.Halted;
            previous = seg.Kind;
            if ((seg.Kind == SegmentKinds.Wait && !wake) || (seg.Kind == SegmentKinds.Emulate && !timeline.Segments.Any(x => x.Kind == SegmentKinds.Wait && x.EndNs == seg.StartNs)))
            {
                double arrival = seg.StartNs;
                int ahead = exits.Count(o => o.Vcpu != v && m.QemuThreadOf(o.Vcpu) == qemu && m.Reasons[o.Reason].Path == Model.ExitPath.Userspace
                    && o.Start + o.Save + o.Handle <= arrival && o.Start + o.Save + o.Handle + o.Wait + o.Emulate > arrival);
                queue = ahead.ToString(inv);
            }
            w.Append($"{(seg.StartNs / 1e3).ToString("0.000", inv),14}  {v,4}  {evt,-6} {seg.Reason ?? "-",-22} {seg.Kind,-10} {UnitFormat.Time(seg.DurationNs),10}  {queue,10}\n");
        }
        var totals = SegmentKinds.All.Select(k => (k, timeline.Total(k))).Where(x => x.Item2 > 0);
        w.Append("# totals: " + string.Join(", ", totals.Select(x => $"{x.k} {UnitFormat.Time(x.Item2)} ({100 * x.Item2 / (t1 - t0):0.#}%)")) + "\n");
        return w.ToString();
    }

    /// <summary>Hands every exit to two sinks.</summary>
    private sealed class BothSinks(IExitSink a, IExitSink b) : IExitSink
    {
        public void OnExit(in ExitRecord exit) { a.OnExit(exit); b.OnExit(exit); }
        public void OnUnfinishedExit(in ExitRecord exit) { a.OnUnfinishedExit(exit); b.OnUnfinishedExit(exit); }
    }
}
