using System.Runtime.InteropServices;

namespace ExitSim.Probe;

/// <summary>
/// The libc calls the probe makes (no native helper). Constants are the Linux x86-64 values
/// (asm-generic/fcntl.h, asm-generic/mman-common.h, sys/eventfd.h, asm-generic/errno-base.h).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int O_RDWR = 0x2;
    public const int O_CLOEXEC = 0x80000;
    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int MAP_SHARED = 0x01;
    public const int MAP_PRIVATE = 0x02;
    public const int MAP_ANONYMOUS = 0x20;
    public const int MAP_NORESERVE = 0x4000;
    public const int EFD_NONBLOCK = 0x800;
    public const int EFD_CLOEXEC = 0x80000;
    public static readonly nint MAP_FAILED = -1;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int ENODEV = 19;

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    // int ioctl(int fd, unsigned long request, ...): on x86-64 SysV a variadic call with integer
    // arguments passes them in the same registers as a fixed-argument call.
    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, nint arg);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, ulong arg);

    [LibraryImport(Lib, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Lib, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);

    [LibraryImport(Lib, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initval, int flags);

    [LibraryImport(Lib, EntryPoint = "pread", SetLastError = true)]
    public static partial nint Pread(int fd, void* buf, nuint count, long offset);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buf, nuint count);

    /// <summary>read(fd, &amp;u64, 8), as eventfds are read.</summary>
    public static nint ReadUInt64(int fd, out ulong value)
    {
        ulong v = 0;
        nint r = Read(fd, &v, 8);
        value = v;
        return r;
    }

    [LibraryImport(Lib, EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGettime(int clockId, Timespec* ts);

    private const int ClockThreadCputimeId = 3;   // include/uapi/linux/time.h CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Sec; public long Nsec; }

    /// <summary>
    /// The calling thread's CPU time in ns (CLOCK_THREAD_CPUTIME_ID: the scheduler's runtime of the thread, its time in
    /// guest mode included): unlike the wall clock it does not advance while other tasks hold the CPU.
    /// </summary>
    public static double ThreadCpuNs()
    {
        Timespec t;
        if (ClockGettime(ClockThreadCputimeId, &t) != 0) throw new KvmException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return t.Sec * 1e9 + t.Nsec;
    }

    [LibraryImport(Lib, EntryPoint = "getpid")]
    public static partial int GetPid();

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
