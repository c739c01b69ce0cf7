using System.Diagnostics;

namespace ExitSim.Probe;

/// <summary>
/// Runs one path's probe loop (<see cref="GuestPrograms.ExitLoop"/>) in its VM, with and without the
/// exit, and counts the exits this process saw (for the checks against KVM's statistics).
/// </summary>
internal sealed class LoopProbe(ProbeVm vm, LoopExit exit, double emulationDelayNs = 0)
{
    private readonly long _delayTicks = (long)(emulationDelayNs * Stopwatch.Frequency / 1e9);

    public LoopExit Exit => exit;
    /// <summary>Exits this process handled: KVM_EXIT_IO (done port included), KVM_EXIT_MMIO, KVM_EXIT_HLT.</summary>
    public long IoSeen { get; private set; }
    public long MmioSeen { get; private set; }
    public long HltSeen { get; private set; }
    /// <summary>Writes the guest made to an ioeventfd-claimed address (handled in the kernel).</summary>
    public long KernelWrites { get; private set; }
    /// <summary>Signals read back from the ioeventfds.</summary>
    public ulong Signalled { get; private set; }

    /// <summary>Whether each exit reaches this process, so it can be timed exit to exit.</summary>
    public bool PerExitTimes => exit is LoopExit.UserspacePio or LoopExit.UserspaceMmio or LoopExit.Hlt;

    /// <summary>
    /// Runs <paramref name="count"/> iterations, with the exit or without it, and returns the ns from
    /// the first KVM_RUN to the exit on the done port. With the exit, each exit-to-exit time of a
    /// userspace exit goes to <paramref name="samples"/> (the first has no predecessor and is skipped),
    /// and the host spins the emulation delay on each.
    /// </summary>
    public double Run(uint count, bool withExit, List<double>? samples = null)
    {
        var kind = withExit ? exit : LoopExit.None;
        vm.Load(GuestPrograms.ExitLoop(kind, count));
        long t0 = Stopwatch.GetTimestamp(), previous = 0;
        while (true)
        {
            var e = vm.RunOnce();
            switch (e.Reason)
            {
                case KvmAbi.ExitIo when e.Port == GuestPrograms.DonePort:
                    IoSeen++;
                    if (withExit && exit is LoopExit.IoEventFdPio or LoopExit.IoEventFdMmio) KernelWrites += count;
                    Signalled += vm.DrainEventFds();
                    return ProbeRunner.Ns(e.EndTimestamp - t0);
                case KvmAbi.ExitIo when kind == LoopExit.UserspacePio && e.Port == GuestPrograms.UserspacePort:
                    IoSeen++;
                    break;
                case KvmAbi.ExitMmio when kind == LoopExit.UserspaceMmio && e.MmioAddress == GuestPrograms.UserspaceMmioAddress:
                    MmioSeen++;
                    break;
                case KvmAbi.ExitHlt when kind == LoopExit.Hlt:
                    HltSeen++;
                    break;
                case KvmAbi.ExitIntr:
                    previous = 0; // a signal interrupted KVM_RUN: this interval is not one exit
                    continue;
                default:
                    throw new KvmException($"probe loop {kind}: unexpected exit (reason {e.Reason}, port 0x{e.Port:x}, address 0x{e.MmioAddress:x}){(exit is LoopExit.IoEventFdPio or LoopExit.IoEventFdMmio ? " (is the address claimed by ioeventfd?)" : "")}");
            }
            if (previous != 0) samples?.Add(ProbeRunner.Ns(e.EndTimestamp - previous));
            previous = e.EndTimestamp;
            if (_delayTicks > 0) ProbeRunner.SpinUntil(e.EndTimestamp + _delayTicks); // the "device emulation"
        }
    }
}
