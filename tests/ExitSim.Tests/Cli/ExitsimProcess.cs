using System.Diagnostics;

namespace ExitSim.Tests.Cli;

/// <summary>
/// Runs the exitsim binary in a child process, for inputs that could take the whole process down
/// (a stack overflow cannot be caught in-process): with a GC heap limit, so using more memory is an
/// OutOfMemoryException (exit code 1) instead of a slow machine, and a wall-clock timeout.
/// </summary>
public static class ExitsimProcess
{
    public sealed record Result(int ExitCode, string Out, string Error, bool TimedOut, TimeSpan Elapsed);

    public static Result Run(string workingDirectory, long heapLimitBytes, TimeSpan timeout, params string[] args) =>
        RunWithInput(workingDirectory, heapLimitBytes, timeout, null, args);

    /// <summary>As <see cref="Run"/>, with <paramref name="input"/> (if not null) piped into its standard input.</summary>
    public static Result RunWithInput(string workingDirectory, long heapLimitBytes, TimeSpan timeout, string? input, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "exitsim.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_GCHeapHardLimit"] = heapLimitBytes.ToString("x");
        start.Environment.Remove("EXITSIM_DEBUG");
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            p.StandardInput.Write(input);
            p.StandardInput.Close();
        }
        bool exited = p.WaitForExit(timeout);
        if (!exited) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        return new Result(exited ? p.ExitCode : -1, stdout.Result, stderr.Result, !exited, clock.Elapsed);
    }
}
