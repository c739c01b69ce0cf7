using System.CommandLine;
using ExitSim.Cli.Outputs;
using ExitSim.Probe;
using ExitSim.Probe.Validation;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim probe [--quick] [-o host-profile.yaml]</c>: measure this host's exit paths through
/// /dev/kvm with tiny real-mode guests (see docs/probe.md). <c>--validate</c> then runs mixed real
/// guests and their ExitSim scenarios from the profile and prints the error of each prediction.
/// Without usable KVM it says why, exit 2.
/// </summary>
public static class ProbeCommand
{
    public static Command Create(CliContext ctx)
    {
        var quick = new Option<bool>("--quick") { Description = "Fewer repetitions (seconds instead of a minute)" };
        var output = CliOptions.OutFile("Write the host profile (YAML) to this file instead of standard output");
        var validate = new Option<bool>("--validate") { Description = "Run mixed real guests and compare their time per request with ExitSim's prediction from the profile" };
        var profileOpt = new Option<string?>("--profile") { Description = "With --validate: the profile to validate (default: probe first)" };
        var scenarios = new Option<string?>("--scenarios") { Description = "With --validate: write the generated scenarios and the profile to this directory" };
        var cmd = new Command("probe", "Measure this host's VM-exit costs through /dev/kvm, and check ExitSim's predictions against real guests")
            { quick, output, validate, profileOpt, scenarios };
        cmd.SetAction(pr =>
        {
            bool isQuick = pr.GetValue(quick), isValidate = pr.GetValue(validate);
            string? given = pr.GetValue(profileOpt), outPath = pr.GetValue(output), scenarioDir = pr.GetValue(scenarios);
            if (!isValidate && (given is not null || scenarioDir is not null))
                throw new UsageException("probe: --profile and --scenarios go with --validate (exitsim probe --validate --profile host-profile.yaml)");
            if (given is not null && outPath is not null)
                throw new UsageException("probe: --profile validates an existing profile, -o writes a new one: give one of them");
            if (given is not null) ValidationRunner.LoadProfile(given); // bad profile: one line before any KVM work
            var outFile = CommandOutput.File(outPath);
            var scenarioOut = scenarioDir is null ? null : OutputPath.Directory("--scenarios", scenarioDir);

            try
            {
                using var kvm = KvmHost.TryOpen(out string reason) ?? throw new KvmUnavailableException(reason);
                string? profilePath = given;
                string? temp = null;
                if (profilePath is null)
                {
                    var profile = ProbeRunner.Run(kvm, isQuick ? ProbeOptions.Quick : ProbeOptions.Full, ctx.Error);
                    string yaml = HostProfileWriter.Write(profile);
                    if (outPath is not null)
                    {
                        AtomicFiles.WriteFile(outFile!, yaml);
                        ctx.Out.WriteLine($"wrote {outPath}");
                        profilePath = outPath;
                    }
                    else
                    {
                        ctx.Out.Write(yaml);
                        if (isValidate) File.WriteAllText(profilePath = temp = Path.Combine(Path.GetTempPath(), $"exitsim-profile-{Environment.ProcessId}.yaml"), yaml);
                    }
                }
                if (!isValidate) return ExitCodes.Ok;
                try
                {
                    var report = ValidationRunner.Run(kvm, profilePath!, isQuick ? ValidationOptions.Quick : ValidationOptions.Full, log: ctx.Error);
                    ctx.Out.WriteLine();
                    ctx.Out.Write(ValidationTableFormatter.Format(report));
                    if (scenarioDir is not null)
                    {
                        var files = report.Outcomes.Select(o => (ValidationRunner.ScenarioFileName(o.Workload), o.ScenarioYaml)).ToList();
                        files.Add((Path.GetFileName(profilePath!), File.ReadAllText(profilePath!)));
                        AtomicFiles.Write(scenarioOut!, files, ctx.Cancel);
                        ctx.Out.WriteLine($"wrote {files.Count - 1} scenarios and {Path.GetFileName(profilePath!)} to {scenarioDir}");
                    }
                }
                finally
                {
                    if (temp is not null) File.Delete(temp);
                }
                return ExitCodes.Ok;
            }
            catch (KvmUnavailableException e) { throw new UsageException($"probe: {e.Message}"); }
        });
        return cmd;
    }
}
