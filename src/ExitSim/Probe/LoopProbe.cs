namespace ExitSim.Probe;

/// <summary>
/// Runs one path's probe loop (<see cref="GuestPrograms.ExitLoop"/>) in its VM, with and without the
/// exit, through a <see cref="GuestRun"/> that counts the exits this process saw.
/// </summary>
internal sealed class LoopProbe(ProbeVm vm, LoopExit exit, double emulationDelayNs = 0)
{
    private readonly GuestRun _run = new(vm, pioDelayNs: emulationDelayNs);

    public LoopExit Exit => exit;
    public long IoSeen => _run.IoSeen;
    public long MmioSeen => _run.MmioSeen;
    public long HltSeen => _run.HltSeen;
    public ulong Signalled => _run.Signalled;

    /// <summary>Writes the guest made to an ioeventfd-claimed address (handled in the kernel).</summary>
    public long KernelWrites { get; private set; }

    /// <summary>Whether each exit reaches this process, so it can be timed exit to exit.</summary>
    public bool PerExitTimes => exit is LoopExit.UserspacePio or LoopExit.UserspaceMmio or LoopExit.Hlt;

    /// <summary>
    /// Runs <paramref name="count"/> iterations, with the exit or without it, and returns the ns from
    /// the first KVM_RUN to the exit on the done port; with the exit, each exit-to-exit time of a
    /// userspace exit goes to <paramref name="samples"/>.
    /// </summary>
    public double Run(uint count, bool withExit, List<double>? samples = null)
    {
        double ns = _run.Run(GuestPrograms.ExitLoop(withExit ? exit : LoopExit.None, count), withExit ? samples : null);
        if (withExit && exit is LoopExit.IoEventFdPio or LoopExit.IoEventFdMmio) KernelWrites += count;
        return ns;
    }

    /// <summary>As <see cref="Run"/>, but returns the run's CPU time on this thread (see <see cref="GuestRun.LastCpuNs"/>).</summary>
    public double RunCpu(uint count, bool withExit, List<double>? samples = null)
    {
        Run(count, withExit, samples);
        return _run.LastCpuNs;
    }
}
