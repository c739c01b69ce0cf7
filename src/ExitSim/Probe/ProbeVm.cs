using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ExitSim.Probe;

/// <summary>What one KVM_RUN returned, and how long the ioctl took.</summary>
public readonly record struct VmExit(uint Reason, long Ticks, long EndTimestamp, ushort Port, byte IoDirection, ulong MmioAddress, bool MmioWrite)
{
    public double Nanoseconds => Ticks * 1e9 / Stopwatch.Frequency;
}

/// <summary>
/// A VM with 64 KiB of RAM at GPA 0 and one vCPU started in real mode at CS:IP = 0:0, following the
/// well-known minimal KVM users (LWN "Using the KVM API", dpw/kvm-hello-world): KVM_CREATE_VM,
/// mmap + KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU, mmap of kvm_run, KVM_SET_SREGS/REGS, KVM_RUN.
/// No irqchip is created, so HLT exits to userspace (KVM_EXIT_HLT).
/// </summary>
public sealed unsafe class ProbeVm : IDisposable
{
    private readonly List<int> _eventFds = new();
    private int _vmFd = -1, _vcpuFd = -1;
    private nint _memory = Libc.MAP_FAILED, _run = Libc.MAP_FAILED;
    private nuint _runSize;

    internal ProbeVm(KvmHost kvm)
    {
        try
        {
            _vmFd = KvmHost.Check(Libc.Ioctl(kvm.Fd, KvmAbi.CreateVm, 0UL), "KVM_CREATE_VM");
            // As kvm-hello-world and QEMU do: a TSS address below 4 GiB for real mode on VMX without
            // unrestricted guest; harmless elsewhere.
            Libc.Ioctl(_vmFd, KvmAbi.SetTssAddr, 0xfffbd000UL);

            _memory = Libc.Mmap(0, (nuint)GuestPrograms.MemorySize, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
            if (_memory == Libc.MAP_FAILED) throw Fail("mmap of guest memory");
            var region = new KvmUserspaceMemoryRegion
            {
                Slot = 0,
                Flags = 0,
                GuestPhysAddr = GuestPrograms.LoadAddress,
                MemorySize = GuestPrograms.MemorySize,
                UserspaceAddr = (ulong)_memory,
            };
            KvmHost.Check(Libc.Ioctl(_vmFd, KvmAbi.SetUserMemoryRegion, (nint)(&region)), "KVM_SET_USER_MEMORY_REGION");

            _vcpuFd = KvmHost.Check(Libc.Ioctl(_vmFd, KvmAbi.CreateVcpu, 0UL), "KVM_CREATE_VCPU");
            _runSize = (nuint)kvm.VcpuMmapSize();
            if (_runSize < (nuint)KvmAbi.KvmRunSize) throw new KvmException($"KVM_GET_VCPU_MMAP_SIZE is {_runSize}, smaller than kvm_run");
            _run = Libc.Mmap(0, _runSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, _vcpuFd, 0);
            if (_run == Libc.MAP_FAILED) throw Fail("mmap of kvm_run");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int VmFd => _vmFd;
    public int VcpuFd => _vcpuFd;
    private KvmRun* Run => (KvmRun*)_run;

    /// <summary>Copies the program to guest RAM and resets the vCPU to real mode at 0:0.</summary>
    public void Load(GuestProgram program)
    {
        if ((ulong)program.Code.Length > GuestPrograms.MemorySize) throw new ArgumentException("program larger than guest memory");
        new Span<byte>((void*)_memory, (int)GuestPrograms.MemorySize).Clear();
        program.Code.CopyTo(new Span<byte>((void*)_memory, program.Code.Length));
        Reset();
    }

    /// <summary>Real mode: every segment base 0, selector 0 (kvm-hello-world's setup); rip 0, rflags 2 (bit 1 is reserved-set).</summary>
    public void Reset()
    {
        KvmSregs sregs;
        KvmHost.Check(Libc.Ioctl(_vcpuFd, KvmAbi.GetSregs, (nint)(&sregs)), "KVM_GET_SREGS");
        sregs.Cs.Base = 0; sregs.Cs.Selector = 0;
        sregs.Ds.Base = 0; sregs.Ds.Selector = 0;
        sregs.Es.Base = 0; sregs.Es.Selector = 0;
        sregs.Ss.Base = 0; sregs.Ss.Selector = 0;
        KvmHost.Check(Libc.Ioctl(_vcpuFd, KvmAbi.SetSregs, (nint)(&sregs)), "KVM_SET_SREGS");
        var regs = new KvmRegs { Rip = 0, Rflags = 2, Rsp = 0xFFF0 };
        KvmHost.Check(Libc.Ioctl(_vcpuFd, KvmAbi.SetRegs, (nint)(&regs)), "KVM_SET_REGS");
    }

    public KvmRegs GetRegs()
    {
        KvmRegs regs;
        KvmHost.Check(Libc.Ioctl(_vcpuFd, KvmAbi.GetRegs, (nint)(&regs)), "KVM_GET_REGS");
        return regs;
    }

    /// <summary>One KVM_RUN, timed with Stopwatch around the ioctl; retried on EINTR.</summary>
    public VmExit RunOnce()
    {
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            int r = Libc.Ioctl(_vcpuFd, KvmAbi.Run, 0UL);
            long t1 = Stopwatch.GetTimestamp();
            if (r < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is Libc.EINTR or Libc.EAGAIN) continue;
                throw new KvmException($"KVM_RUN failed: {Libc.ErrorText(errno)} (errno {errno})");
            }
            var run = Run;
            uint reason = run->ExitReason;
            return reason switch
            {
                KvmAbi.ExitIo => new VmExit(reason, t1 - t0, t1, run->Io.Port, run->Io.Direction, 0, false),
                KvmAbi.ExitMmio => new VmExit(reason, t1 - t0, t1, 0, 0, run->Mmio.PhysAddr, run->Mmio.IsWrite != 0),
                KvmAbi.ExitHlt => new VmExit(reason, t1 - t0, t1, 0, 0, 0, false),
                KvmAbi.ExitIntr => new VmExit(reason, t1 - t0, t1, 0, 0, 0, false),
                KvmAbi.ExitFailEntry => throw new KvmException($"KVM_EXIT_FAIL_ENTRY, hardware reason 0x{run->HardwareExitReason:x}"),
                KvmAbi.ExitInternalError => throw new KvmException($"KVM_EXIT_INTERNAL_ERROR, suberror {run->InternalSuberror}"),
                KvmAbi.ExitShutdown => throw new KvmException("KVM_EXIT_SHUTDOWN (triple fault in the probe guest)"),
                _ => throw new KvmException($"unexpected exit reason {reason}"),
            };
        }
    }

    /// <summary>Registers a PIO (<paramref name="pio"/>) or MMIO address with KVM_IOEVENTFD (any data, 1 byte).</summary>
    public void AddIoEventFd(ulong address, bool pio)
    {
        int efd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (efd < 0) throw Fail("eventfd");
        _eventFds.Add(efd);
        var ioeventfd = new KvmIoEventFd { Addr = address, Len = 1, Fd = efd, Flags = pio ? KvmAbi.IoEventFdFlagPio : 0 };
        KvmHost.Check(Libc.Ioctl(_vmFd, KvmAbi.IoEventFd, (nint)(&ioeventfd)), "KVM_IOEVENTFD");
    }

    /// <summary>Empties the eventfds (a non-blocking read returns the count and resets it); returns the total.</summary>
    public ulong DrainEventFds()
    {
        ulong total = 0;
        foreach (int efd in _eventFds)
        {
            if (Libc.ReadUInt64(efd, out ulong value) == 8) total += value;
        }
        return total;
    }

    /// <summary>The vCPU's binary stats (KVM_GET_STATS_FD, Linux 5.14+); null where unsupported.</summary>
    public IReadOnlyDictionary<string, KvmStat>? ReadVcpuStats()
    {
        int fd = Libc.Ioctl(_vcpuFd, KvmAbi.GetStatsFd, 0UL);
        if (fd < 0) return null;
        try
        {
            KvmStatsHeader header;
            if (Libc.Pread(fd, &header, (nuint)sizeof(KvmStatsHeader), 0) != sizeof(KvmStatsHeader)) return null;
            // The file ends after the data block; descriptors come first, data last (api.rst).
            long descEnd = header.DescOffset + (long)header.NumDesc * (KvmBinaryStats.DescFixedSize + header.NameSize);
            long size = Math.Max(descEnd, header.DataOffset) + 64 * 1024;
            var buffer = new byte[size];
            long got;
            fixed (byte* p = buffer) got = Libc.Pread(fd, p, (nuint)buffer.Length, 0);
            if (got <= 0) return null;
            return KvmBinaryStats.Parse(buffer.AsSpan(0, (int)got));
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private static KvmException Fail(string what)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new KvmException($"{what} failed: {Libc.ErrorText(errno)} (errno {errno})");
    }

    public void Dispose()
    {
        foreach (int efd in _eventFds) Libc.Close(efd);
        _eventFds.Clear();
        if (_run != Libc.MAP_FAILED) Libc.Munmap(_run, _runSize);
        _run = Libc.MAP_FAILED;
        if (_vcpuFd >= 0) Libc.Close(_vcpuFd);
        _vcpuFd = -1;
        if (_memory != Libc.MAP_FAILED) Libc.Munmap(_memory, (nuint)GuestPrograms.MemorySize);
        _memory = Libc.MAP_FAILED;
        if (_vmFd >= 0) Libc.Close(_vmFd);
        _vmFd = -1;
    }
}
