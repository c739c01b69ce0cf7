using System.CommandLine;
using ExitSim.Cli.Outputs;
using ExitSim.Files;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim init [DIR]</c>: writes the shipped example scenarios (those of the repository's
/// scenarios/ folder, built into the tool) into DIR, all or none. A file that is there already with
/// other content is not replaced without <c>--force</c>.
/// </summary>
public static class InitCommand
{
    public static Command Create(CliContext ctx)
    {
        var dir = new Argument<string>("dir") { Description = "Directory to write the scenarios into (default: scenarios)", DefaultValueFactory = _ => "scenarios", Arity = ArgumentArity.ZeroOrOne };
        var force = new Option<bool>("--force") { Description = "Replace files of the same name that differ" };
        var cmd = new Command("init", "Write the shipped example scenarios into a directory, to run, copy and edit") { dir, force };
        cmd.SetAction(pr =>
        {
            var output = OutputPath.Directory("init", pr.GetValue(dir)!);
            var scenarios = ShippedScenarios.All();
            if (scenarios.Count == 0) throw new InvalidOperationException("this exitsim was built without its scenarios");
            var changed = scenarios.Where(s => Existing(output, s.Path) is { } old && old != s.Yaml).Select(s => s.Path).ToList();
            if (changed.Count > 0 && !pr.GetValue(force))
                throw output.Error($"{changed[0]}{(changed.Count > 1 ? $" and {changed.Count - 1} more" : "")} already there with other content; nothing was written (--force replaces them)");
            AtomicFiles.Write(output, scenarios, ctx.Cancel);
            ctx.Out.WriteLine($"wrote {scenarios.Count} scenarios to {output.Path} (try: exitsim run {Path.Combine(output.Path, "database.yaml")})");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The text of a regular file already at the name, else null.</summary>
    private static string? Existing(OutputPath dir, string name)
    {
        string path = Path.Combine(dir.Path, name);
        return PathProbe.Kind(path, follow: true).Kind == PathKind.Regular ? File.ReadAllText(path) : null;
    }
}
