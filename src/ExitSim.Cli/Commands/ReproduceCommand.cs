using System.CommandLine;
using ExitSim.Cli.Outputs;
using ExitSim.Running;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim reproduce [-o results]</c>: regenerates the committed results (<see cref="Reproduction"/>)
/// from the shipped scenarios with their own fixed seeds, all files or none.
/// </summary>
public static class ReproduceCommand
{
    public static Command Create(CliContext ctx)
    {
        var outDir = CliOptions.OutDirectory("Directory to regenerate (default: results)", "results");
        var scenarios = new Option<string>("--scenarios") { Description = "Directory of shipped scenarios (default: scenarios)", DefaultValueFactory = _ => "scenarios", HelpName = "DIR" };
        var cmd = new Command("reproduce", "Regenerate results/ (reports, tables and charts) from the shipped scenarios") { outDir, scenarios };
        cmd.SetAction(pr =>
        {
            string root = pr.GetValue(scenarios)!;
            if (!Directory.Exists(root))
                throw new UsageException($"--scenarios: no directory '{root}' (run from the repository root, give --scenarios, or write the shipped scenarios with: exitsim init)");
            var output = OutputPath.Directory("--out", pr.GetValue(outDir)!);
            var steps = new StepProgress(Reproduction.Steps(root));
            IReadOnlyList<(string Name, string Content)> files;
            using (new ConsoleProgress(() => steps.Fraction, () => $"reproduce: {steps.Label}"))
                files = Reproduction.Files(root, ctx.Cancel, steps);
            AtomicFiles.Write(output, files, ctx.Cancel);
            ctx.Out.WriteLine($"wrote {files.Count} files to {output.Path}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
