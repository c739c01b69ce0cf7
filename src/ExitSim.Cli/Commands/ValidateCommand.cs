using System.CommandLine;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Cli.Commands;

/// <summary><c>exitsim validate FILE|FOLDER...</c>: check scenarios without running them; a folder means every *.yaml under it.</summary>
public static class ValidateCommand
{
    public static Command Create(CliContext ctx)
    {
        var files = new Argument<string[]>("files") { Description = "Scenario YAML files, or folders (every *.yaml and *.yml under them)", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("validate", "Check scenario files: keys, types, units, ranges, limits and exit reasons") { files };
        cmd.SetAction(pr =>
        {
            int failed = 0;
            foreach (var f in pr.GetValue(files)!.SelectMany(Expand))
            {
                try
                {
                    if (f.Problem is { } problem) throw problem;
                    var s = ScenarioLoader.LoadFile(f.Path);
                    _ = ModelBuilder.Build(s);   // what run refuses when it builds the model, validate refuses too
                    ctx.Out.WriteLine($"{f.Path}: ok ({s.Name}: {s.Host.Vendor.ToString().ToLowerInvariant()}, {s.Vm.Count} VM × {s.Vm.Vcpus} vCPUs, {s.Exits.Count} exit reasons)");
                }
                catch (ScenarioException e)
                {
                    ctx.Error.WriteLine(e.Located);
                    failed++;
                }
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
        });
        return cmd;
    }

    /// <summary>A file as given, or a folder's scenarios in name order (a folder without any is a problem of its own).</summary>
    private static IEnumerable<(string Path, ScenarioException? Problem)> Expand(string path)
    {
        if (!Directory.Exists(path)) return [(path, null)];
        List<string> found;
        try
        {
            found = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [(path, new ScenarioException(path, 1, 1, $"cannot list the folder ({e.Message.TrimEnd('.')})"))];
        }
        return found.Count > 0 ? found.Select(f => (f, (ScenarioException?)null))
            : [(path, new ScenarioException(path, 1, 1, "the folder has no *.yaml scenario (give scenario files or a folder holding them)"))];
    }
}
