using System.CommandLine;
using ExitSim.Probe;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim probe [--quick] [-o host-profile.yaml]</c>: measure this host's exit paths through
/// /dev/kvm with tiny real-mode guests (see docs/probe.md). Without usable KVM it says why, exit 2.
/// </summary>
public static class ProbeCommand
{
    public static Command Create(CliContext ctx)
    {
        var quick = new Option<bool>("--quick") { Description = "Fewer repetitions (seconds instead of a minute)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the host profile (YAML) here" };
        var cmd = new Command("probe", "Measure this host's VM-exit costs through /dev/kvm") { quick, output };
        cmd.SetAction(pr =>
        {
            HostProfile profile;
            try { profile = ProbeRunner.Run(pr.GetValue(quick) ? ProbeOptions.Quick : ProbeOptions.Full, ctx.Error); }
            catch (KvmUnavailableException e) { throw new UsageException($"probe: {e.Message}"); }
            string yaml = HostProfileWriter.Write(profile);
            if (pr.GetValue(output) is { } path)
            {
                AtomicFiles.WriteFile(path, yaml);
                ctx.Out.WriteLine($"wrote {path}");
            }
            else ctx.Out.Write(yaml);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
