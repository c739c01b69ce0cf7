using System.CommandLine;
using ExitSim.Scenarios;

namespace ExitSim.Cli.Commands;

/// <summary><c>exitsim validate FILE...</c>: check scenarios without running them.</summary>
public static class ValidateCommand
{
    public static Command Create(CliContext ctx)
    {
        var files = new Argument<string[]>("files") { Description = "Scenario YAML files", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("validate", "Check scenario files: keys, types, units, ranges and exit reasons") { files };
        cmd.SetAction(pr =>
        {
            int failed = 0;
            foreach (var f in pr.GetValue(files)!)
            {
                try
                {
                    var s = ScenarioLoader.LoadFile(f);
                    ctx.Out.WriteLine($"{f}: ok ({s.Name}: {s.Host.Vendor.ToString().ToLowerInvariant()}, {s.Vm.Count} VM × {s.Vm.Vcpus} vCPUs, {s.Exits.Count} exit reasons)");
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
}
