using System.Diagnostics;

namespace ExitSim.Probe;

/// <summary>
/// Runs probe programs in one VM to their exit on the done port, as a VMM would: it handles each
/// userspace exit (spinning the emulation delay of its kind, as QEMU's device code would run), counts
/// what it saw for the checks against KVM's statistics, and reads the eventfds back afterwards.
/// </summary>
internal sealed class GuestRun(ProbeVm vm, double pioDelayNs = 0, double mmioDelayNs = 0)
{
    private readonly long _pioDelay = (long)(pioDelayNs * Stopwatch.Frequency / 1e9), _mmioDelay = (long)(mmioDelayNs * Stopwatch.Frequency / 1e9);

    /// <summary>Exits this process handled: KVM_EXIT_IO (done port included), KVM_EXIT_MMIO, KVM_EXIT_HLT.</summary>
    public long IoSeen { get; private set; }
    public long UserspacePio { get; private set; }
    public long MmioSeen { get; private set; }
    public long HltSeen { get; private set; }
    /// <summary>Signals read back from the ioeventfds.</summary>
    public ulong Signalled { get; private set; }

    /// <summary>Time spent emulating userspace port and MMIO writes, as spun (the delay asked for plus the spin's last step).</summary>
    public double PioEmulationNs { get; private set; }
    public double MmioEmulationNs { get; private set; }

    /// <summary>The last run's CPU time on this thread (ns), to the done port's exit: its wall time less any time other tasks held the CPU.</summary>
    public double LastCpuNs { get; private set; }

    /// <summary>
    /// Loads <paramref name="program"/> and runs it to the exit on the done port; returns the ns from
    /// the first KVM_RUN to that exit. Each exit-to-exit time of a userspace exit goes to
    /// <paramref name="samples"/> (the first has no predecessor; one interrupted by a signal is dropped).
    /// </summary>
    public double Run(GuestProgram program, List<double>? samples = null)
    {
        vm.Load(program);
        double cpu0 = Libc.ThreadCpuNs();
        long t0 = Stopwatch.GetTimestamp(), previous = 0;
        while (true)
        {
            var e = vm.RunOnce();
            long delay = 0;
            switch (e.Reason)
            {
                case KvmAbi.ExitIo when e.Port == GuestPrograms.DonePort:
                    IoSeen++;
                    LastCpuNs = Libc.ThreadCpuNs() - cpu0;
                    Signalled += vm.DrainEventFds();
                    return ProbeRunner.Ns(e.EndTimestamp - t0);
                case KvmAbi.ExitIo when e.Port == GuestPrograms.UserspacePort:
                    IoSeen++;
                    UserspacePio++;
                    delay = _pioDelay;
                    break;
                case KvmAbi.ExitMmio when e.MmioAddress == GuestPrograms.UserspaceMmioAddress:
                    MmioSeen++;
                    delay = _mmioDelay;
                    break;
                case KvmAbi.ExitHlt:
                    HltSeen++;
                    break;
                case KvmAbi.ExitIntr:
                    previous = 0; // a signal interrupted KVM_RUN: this interval is not one exit
                    continue;
                default:
                    throw new KvmException($"probe guest {program.Name}: unexpected exit (reason {e.Reason}, port 0x{e.Port:x}, address 0x{e.MmioAddress:x}; is the address claimed by ioeventfd?)");
            }
            if (previous != 0) samples?.Add(ProbeRunner.Ns(e.EndTimestamp - previous));
            previous = e.EndTimestamp;
            if (delay > 0)
            {
                // From the exit's own timestamp (no clock call of its own to hide); the spin overshoots by its last step,
                // so what it actually took is recorded.
                long end = e.EndTimestamp + delay, now;
                while ((now = Stopwatch.GetTimestamp()) < end) Thread.SpinWait(1);
                double spun = ProbeRunner.Ns(now - e.EndTimestamp);
                if (e.Reason == KvmAbi.ExitIo) PioEmulationNs += spun; else MmioEmulationNs += spun;
            }
        }
    }
}
