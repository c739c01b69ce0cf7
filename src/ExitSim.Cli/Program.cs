using System.CommandLine;
using ExitSim.Cli.Commands;

namespace ExitSim.Cli;

/// <summary>
/// exitsim: the command-line front end. Exit codes: 0 ok, 1 internal error, 2 bad input or
/// usage, 130 interrupted (143 SIGTERM, 129 SIGHUP). Bad input is one line on stderr, never a stack trace.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        using var interrupt = new Interruption(cancel);
        try
        {
            var context = new CliContext(stdout, stderr, interrupt);
            var root = new RootCommand("ExitSim: a discrete-event simulator of KVM VM-exit costs.")
            {
                RunCommand.Create(context),
                ValidateCommand.Create(context),
                ListCommand.Create(context),
                CalibrateCommand.Create(context),
                ReproduceCommand.Create(context),
                SweepCommand.Create(context),
                TraceCommand.Create(context),
                CompareCommand.Create(context),
                ExplainCommand.Create(context),
                ProbeCommand.Create(context),
                MergeCommand.Create(context),
                InitCommand.Create(context),
                EvidenceCommand.Create(context),
            };
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                stderr.WriteLine(ParseErrors.Message(parse));
                return ExitCodes.BadInput;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"exitsim: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Scenarios.ScenarioException e)
        {
            stderr.WriteLine(e.Located);
            return ExitCodes.BadInput;
        }
        catch (Calibration.CalibrationInputException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine($"exitsim: {interrupt.Description}; nothing was written");
            return interrupt.ExitCode;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"exitsim: internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("EXITSIM_DEBUG") is "1") stderr.WriteLine(e);
            return ExitCodes.InternalError;
        }
    }
}

/// <summary>What every command needs from its environment: where to write and when to stop.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, Interruption Interrupt)
{
    public CancellationToken Cancel => Interrupt.Token;
}
