using System.CommandLine;
using ExitSim.Reports;
using ExitSim.Sweeps;

namespace ExitSim.Cli.Commands;

/// <summary><c>exitsim merge PARTS... -o FILE</c>: sharded sweep results joined into exactly what the unsharded sweep writes.</summary>
public static class MergeCommand
{
    public static Command Create(CliContext ctx)
    {
        var parts = new Argument<string[]>("parts") { Description = "Partial results written by sweep --shard", Arity = ArgumentArity.OneOrMore };
        var format = new FormatOption("merge", SweepFormats.Supported, OutputFormat.Markdown, fromOutFile: true);
        var output = CliOptions.OutFile("The merged sweep", required: true);
        var cmd = new Command("merge", "Combine sharded sweep results into exactly what the unsharded sweep writes") { parts, format.Option, output };
        cmd.SetAction(pr =>
        {
            string outPath = pr.GetValue(output)!;
            var fmt = format.Read(pr, outPath);
            var outFile = CommandOutput.File(outPath)!;
            var results = pr.GetValue(parts)!.Select(p => SweepCommand.ReadPartial(p, "merge")).ToArray();
            var merged = SweepCommand.Guard(() => SweepRunner.Merge(results));
            CommandOutput.Write(ctx, SweepFormats.Format(merged, fmt, null), outFile, SweepCommand.Note(merged));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
