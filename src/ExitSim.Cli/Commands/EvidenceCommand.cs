using System.CommandLine;
using ExitSim.Evidence;
using ExitSim.Reports;
using ExitSim.Running;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim evidence [--case ID]</c>: runs the published-result cases of <c>validation/published/</c>
/// and prints the scoreboard (<see cref="EvidenceRunner"/> does the work; this only wires it).
/// </summary>
public static class EvidenceCommand
{
    /// <summary>Where the cases are, relative to the repository root.</summary>
    public const string DefaultCases = "validation/published";

    public static Command Create(CliContext ctx)
    {
        var only = new Option<string?>("--case") { Description = "Run this case only (its id, e.g. PC-12)", HelpName = "ID" };
        var cases = new Option<string>("--cases") { Description = $"Folder of case files (default: {DefaultCases})", DefaultValueFactory = _ => DefaultCases, HelpName = "DIR" };
        var format = new FormatOption("evidence", EvidenceFormats.Supported, OutputFormat.Text, fromOutFile: true);
        var output = CliOptions.OutFile("Write the scoreboard to this file instead of standard output");
        var threads = CliOptions.ThreadsOption();
        var cmd = new Command("evidence", "Run the published-result cases and print the scoreboard: published vs simulated, band, verdict")
        {
            only, cases, format.Option, output, threads,
        };
        cmd.SetAction(pr =>
        {
            string? outPath = pr.GetValue(output);
            var fmt = format.Read(pr, outPath);
            var outFile = CommandOutput.File(outPath);
            var options = new RunOptions { Threads = CliOptions.Threads(pr, threads) };
            string folder = pr.GetValue(cases)!;
            if (!Directory.Exists(folder))
                throw new UsageException($"--cases: no folder '{folder}' (run from the repository root, or give --cases DIR)");
            var all = EvidenceCaseLoader.LoadFolder(folder);
            if (pr.GetValue(only) is { } id)
            {
                all = all.Where(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase)).ToArray();
                if (all.Count == 0)
                {
                    var ids = EvidenceCaseLoader.LoadFolder(folder).Select(c => c.Id).ToArray();
                    string hint = Suggest.Closest(id, ids) is { } near ? $"did you mean {near}?" : "cases: " + string.Join(", ", ids);
                    throw new UsageException($"--case: no case '{id}' in {folder} ({hint})");
                }
            }
            var board = EvidenceRunner.Run(all, options, ctx.Cancel);
            CommandOutput.Write(ctx, EvidenceFormats.Format(board, fmt), outFile);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
