using System.Runtime.CompilerServices;

namespace ExitSim.Probe;

/// <summary>
/// The KVM userspace ABI numbers the probe uses. Sources (read through the code search, kvm-x86/linux):
/// <c>include/uapi/linux/kvm.h</c> at commit 01a871852b11 (ioctl definitions, KVMIO, exit reasons,
/// capabilities, kvm_run, kvm_ioeventfd, binary stats) and <c>arch/x86/include/uapi/asm/kvm.h</c>
/// at commit 3cfc1a8ee2b9 (kvm_regs, kvm_segment, kvm_dtable, kvm_sregs).
/// The ioctl encoding is <c>include/uapi/asm-generic/ioctl.h</c> (x86 uses the generic one):
/// nr bits 0–7, type bits 8–15, size bits 16–29, dir bits 30–31; _IOC_WRITE = 1, _IOC_READ = 2.
/// </summary>
public static class KvmAbi
{
    /// <summary><c>#define KVMIO 0xAE</c> (kvm.h).</summary>
    public const uint KvmIo = 0xAE;

    /// <summary><c>#define KVM_API_VERSION 12</c> (kvm.h).</summary>
    public const int ApiVersion = 12;

    // asm-generic/ioctl.h: _IOC_NONE 0U, _IOC_WRITE 1U, _IOC_READ 2U.
    public const uint IocNone = 0, IocWrite = 1, IocRead = 2;

    /// <summary><c>_IOC(dir, type, nr, size)</c> = dir&lt;&lt;30 | size&lt;&lt;16 | type&lt;&lt;8 | nr.</summary>
    public static ulong Ioc(uint dir, uint type, uint nr, int size)
    {
        if (nr > 0xFF) throw new ArgumentOutOfRangeException(nameof(nr));
        if (type > 0xFF) throw new ArgumentOutOfRangeException(nameof(type));
        if (size < 0 || size >= 1 << 14) throw new ArgumentOutOfRangeException(nameof(size), "the ioctl size field has 14 bits");
        return ((ulong)dir << 30) | ((ulong)(uint)size << 16) | ((ulong)type << 8) | nr;
    }

    public static ulong Io(uint nr) => Ioc(IocNone, KvmIo, nr, 0);
    public static ulong IoR<T>(uint nr) where T : unmanaged => Ioc(IocRead, KvmIo, nr, Unsafe.SizeOf<T>());
    public static ulong IoW<T>(uint nr) where T : unmanaged => Ioc(IocWrite, KvmIo, nr, Unsafe.SizeOf<T>());
    public static ulong IoWR<T>(uint nr) where T : unmanaged => Ioc(IocRead | IocWrite, KvmIo, nr, Unsafe.SizeOf<T>());

    // ioctls for /dev/kvm fds (kvm.h "ioctls for /dev/kvm fds").
    /// <summary><c>KVM_GET_API_VERSION _IO(KVMIO, 0x00)</c> = 0xAE00.</summary>
    public static readonly ulong GetApiVersion = Io(0x00);
    /// <summary><c>KVM_CREATE_VM _IO(KVMIO, 0x01)</c> = 0xAE01.</summary>
    public static readonly ulong CreateVm = Io(0x01);
    /// <summary><c>KVM_CHECK_EXTENSION _IO(KVMIO, 0x03)</c> = 0xAE03.</summary>
    public static readonly ulong CheckExtension = Io(0x03);
    /// <summary><c>KVM_GET_VCPU_MMAP_SIZE _IO(KVMIO, 0x04)</c> = 0xAE04.</summary>
    public static readonly ulong GetVcpuMmapSize = Io(0x04);

    // ioctls for VM fds.
    /// <summary><c>KVM_CREATE_VCPU _IO(KVMIO, 0x41)</c> = 0xAE41.</summary>
    public static readonly ulong CreateVcpu = Io(0x41);
    /// <summary><c>KVM_SET_USER_MEMORY_REGION _IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)</c> = 0x4020AE46.</summary>
    public static readonly ulong SetUserMemoryRegion = IoW<KvmUserspaceMemoryRegion>(0x46);
    /// <summary><c>KVM_SET_TSS_ADDR _IO(KVMIO, 0x47)</c> = 0xAE47.</summary>
    public static readonly ulong SetTssAddr = Io(0x47);
    /// <summary><c>KVM_IOEVENTFD _IOW(KVMIO, 0x79, struct kvm_ioeventfd)</c> = 0x4040AE79.</summary>
    public static readonly ulong IoEventFd = IoW<KvmIoEventFd>(0x79);
    /// <summary><c>KVM_GET_STATS_FD _IO(KVMIO, 0xce)</c> = 0xAECE (VM and vCPU fds).</summary>
    public static readonly ulong GetStatsFd = Io(0xCE);

    // ioctls for vCPU fds.
    /// <summary><c>KVM_RUN _IO(KVMIO, 0x80)</c> = 0xAE80.</summary>
    public static readonly ulong Run = Io(0x80);
    /// <summary><c>KVM_GET_REGS _IOR(KVMIO, 0x81, struct kvm_regs)</c> = 0x8090AE81.</summary>
    public static readonly ulong GetRegs = IoR<KvmRegs>(0x81);
    /// <summary><c>KVM_SET_REGS _IOW(KVMIO, 0x82, struct kvm_regs)</c> = 0x4090AE82.</summary>
    public static readonly ulong SetRegs = IoW<KvmRegs>(0x82);
    /// <summary><c>KVM_GET_SREGS _IOR(KVMIO, 0x83, struct kvm_sregs)</c> = 0x8138AE83.</summary>
    public static readonly ulong GetSregs = IoR<KvmSregs>(0x83);
    /// <summary><c>KVM_SET_SREGS _IOW(KVMIO, 0x84, struct kvm_sregs)</c> = 0x4138AE84.</summary>
    public static readonly ulong SetSregs = IoW<KvmSregs>(0x84);

    // kvm_run.exit_reason (kvm.h KVM_EXIT_*).
    public const uint ExitUnknown = 0;
    public const uint ExitIo = 2;
    public const uint ExitHlt = 5;
    public const uint ExitMmio = 6;
    public const uint ExitShutdown = 8;
    public const uint ExitFailEntry = 9;
    public const uint ExitIntr = 10;
    public const uint ExitInternalError = 17;

    /// <summary>kvm_run.io.direction: <c>KVM_EXIT_IO_IN 0</c>, <c>KVM_EXIT_IO_OUT 1</c>.</summary>
    public const byte ExitIoIn = 0, ExitIoOut = 1;

    // KVM_CHECK_EXTENSION arguments (kvm.h KVM_CAP_*).
    public const int CapUserMemory = 3;
    public const int CapIoEventFd = 36;
    public const int CapBinaryStatsFd = 203;

    // kvm_ioeventfd.flags: 1 << kvm_ioeventfd_flag_nr_{datamatch=0, pio=1, deassign=2}.
    public const uint IoEventFdFlagDatamatch = 1u << 0;
    public const uint IoEventFdFlagPio = 1u << 1;
    public const uint IoEventFdFlagDeassign = 1u << 2;

    /// <summary>Size of the fixed part of <c>struct kvm_run</c> up to and including the sync-regs union (x86).</summary>
    public const int KvmRunSize = 2352;

    /// <summary>Offset of the exit union in <c>struct kvm_run</c> on x86 (no s390 psw fields).</summary>
    public const int KvmRunExitUnionOffset = 32;

    /// <summary><c>KVM_STATS_TYPE_MASK</c>, <c>KVM_STATS_TYPE_CUMULATIVE</c> (kvm.h binary stats).</summary>
    public const uint StatsTypeMask = 0xF, StatsTypeCumulative = 0;
}
