using ExitSim.Cli.Outputs;
using ExitSim.Plots;
using ExitSim.Reports;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Cli;

/// <summary>Charts and the HTML report of a run: what needs plotting beyond the report's own data.</summary>
public static class RunArtifacts
{
    /// <summary>How much of vCPU 0 the Gantt chart shows, from the end of the warm-up.</summary>
    public const double TimelineNs = 200_000;

    /// <summary>vCPU 0's first 200 µs after the warm-up, from replication 0 simulated again with a recorder.</summary>
    public static VcpuTimeline Timeline(Scenario applied, CancellationToken cancel = default)
    {
        var model = ModelBuilder.Build(applied);
        double from = model.WarmupNs, to = Math.Min(model.WarmupNs + TimelineNs, model.WarmupNs + model.DurationNs);
        var recorder = new VcpuTimelineRecorder(model, 0, from, to);
        new Replication(model, applied.Run.Seed, 0, recorder).Run(cancel);
        return recorder.Timeline();
    }

    public static string Html(RunReport report, VcpuTimeline timeline) => HtmlReport.Format(report, ChartSet.RunChartSvgs(report, timeline));

    /// <summary>The report in every format, named after the scenario (<c>web.txt</c>, <c>web.md</c> … <c>web.html</c>): what <c>run --out DIR</c> writes.</summary>
    public static IReadOnlyList<(string Name, string Content)> AllFormats(RunReport report, VcpuTimeline timeline) =>
        ReportFormats.Supported
            .Select(f => ($"{Slug(report.Scenario)}.{OutputFormats.Extension(f)}", ReportFormats.Format(report, f)))
            .Append(($"{Slug(report.Scenario)}.html", Html(report, timeline)))
            .ToList();

    private static string Slug(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());

    /// <summary>Stages the run's charts (PNG and SVG) into <paramref name="directory"/>.</summary>
    public static void WriteCharts(OutputSet outputs, OutputPath directory, RunReport report, VcpuTimeline timeline)
    {
        foreach (var c in ChartSet.RunCharts(report, timeline)) WriteChart(outputs, directory, c.FileName, c.Chart);
    }

    /// <summary>Stages <c>name.png</c> and <c>name.svg</c> of one chart into <paramref name="directory"/>.</summary>
    public static void WriteChart(OutputSet outputs, OutputPath directory, string name, Chart chart)
    {
        var (png, svg) = chart.Render();
        outputs.Write(directory, png, name + ".png");
        outputs.Write(directory, svg, name + ".svg");
    }
}
