namespace ExitSim.Tests.Cli;

/// <summary>Runs the exitsim command in-process and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args) => Run(CancellationToken.None, args);

    public static Result Run(CancellationToken cancel, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ExitSim.Cli.Program.Run(args, stdout, stderr, cancel);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
