using System.Runtime.InteropServices;

namespace ExitSim.Cli;

/// <summary>
/// Stops a command cleanly on Ctrl-C (SIGINT), SIGTERM (what Slurm and Kubernetes send before they
/// kill a job) and SIGHUP (the terminal went away): the command's token is cancelled, nothing
/// half-made is written (a sweep saves its finished points), and the exit code is 128 + the signal's
/// number, as a shell reports a process killed by it. A second signal is not caught: it ends the
/// process at once.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration[] _registrations;
    private volatile string? _signal;
    private int _code = ExitCodes.Interrupted;

    public Interruption(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations = OperatingSystem.IsWindows()
            ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)]
            : [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    }

    public CancellationToken Token => _source.Token;

    /// <summary>130 for Ctrl-C (or a cancelled token), 143 for SIGTERM, 129 for SIGHUP.</summary>
    public int ExitCode => _code;

    /// <summary>"interrupted", or "stopped by SIGTERM".</summary>
    public string Description => _signal is null or "SIGINT" ? "interrupted" : $"stopped by {_signal}";

    private void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested) return;   // the second one: the default action ends the process
        context.Cancel = true;
        (_signal, _code) = context.Signal switch
        {
            PosixSignal.SIGTERM => ("SIGTERM", 128 + 15),
            PosixSignal.SIGHUP => ("SIGHUP", 128 + 1),
            _ => ("SIGINT", ExitCodes.Interrupted),
        };
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
