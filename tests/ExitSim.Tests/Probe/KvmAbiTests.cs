using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

/// <summary>
/// ioctl numbers and struct layouts against the kernel ABI. Expected values are computed by hand
/// from include/uapi/linux/kvm.h and arch/x86/include/uapi/asm/kvm.h (kvm-x86/linux) with the
/// asm-generic/ioctl.h encoding dir&lt;&lt;30 | size&lt;&lt;16 | 0xAE&lt;&lt;8 | nr (write = 1, read = 2).
/// </summary>
public sealed class KvmAbiTests
{
    [Fact]
    public void Ioctl_numbers_match_the_kernel_header()
    {
        Assert.Equal(0xAE00UL, KvmAbi.GetApiVersion);       // _IO(KVMIO, 0x00)
        Assert.Equal(0xAE01UL, KvmAbi.CreateVm);            // _IO(KVMIO, 0x01)
        Assert.Equal(0xAE03UL, KvmAbi.CheckExtension);      // _IO(KVMIO, 0x03)
        Assert.Equal(0xAE04UL, KvmAbi.GetVcpuMmapSize);     // _IO(KVMIO, 0x04)
        Assert.Equal(0xAE41UL, KvmAbi.CreateVcpu);          // _IO(KVMIO, 0x41)
        Assert.Equal(0xAE47UL, KvmAbi.SetTssAddr);          // _IO(KVMIO, 0x47)
        Assert.Equal(0x4020AE46UL, KvmAbi.SetUserMemoryRegion); // _IOW(KVMIO, 0x46, 32 bytes)
        Assert.Equal(0x4040AE79UL, KvmAbi.IoEventFd);       // _IOW(KVMIO, 0x79, 64 bytes)
        Assert.Equal(0xAECEUL, KvmAbi.GetStatsFd);          // _IO(KVMIO, 0xce)
        Assert.Equal(0xAE80UL, KvmAbi.Run);                 // _IO(KVMIO, 0x80)
        Assert.Equal(0x8090AE81UL, KvmAbi.GetRegs);         // _IOR(KVMIO, 0x81, 144 bytes)
        Assert.Equal(0x4090AE82UL, KvmAbi.SetRegs);         // _IOW(KVMIO, 0x82, 144 bytes)
        Assert.Equal(0x8138AE83UL, KvmAbi.GetSregs);        // _IOR(KVMIO, 0x83, 312 bytes)
        Assert.Equal(0x4138AE84UL, KvmAbi.SetSregs);        // _IOW(KVMIO, 0x84, 312 bytes)
    }

    [Fact]
    public void Ioctl_encoding_follows_asm_generic_ioctl_h()
    {
        Assert.Equal(0xC008AE05UL, KvmAbi.Ioc(KvmAbi.IocRead | KvmAbi.IocWrite, 0xAE, 0x05, 8)); // _IOWR, dir 3
        Assert.Throws<ArgumentOutOfRangeException>(() => KvmAbi.Ioc(KvmAbi.IocRead, 0xAE, 0x100, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KvmAbi.Ioc(KvmAbi.IocRead, 0xAE, 0x01, 1 << 14));
    }

    [Fact]
    public void Constants_match_the_kernel_header()
    {
        Assert.Equal(12, KvmAbi.ApiVersion);
        Assert.Equal(0xAEu, KvmAbi.KvmIo);
        Assert.Equal(2u, KvmAbi.ExitIo);
        Assert.Equal(5u, KvmAbi.ExitHlt);
        Assert.Equal(6u, KvmAbi.ExitMmio);
        Assert.Equal(8u, KvmAbi.ExitShutdown);
        Assert.Equal(9u, KvmAbi.ExitFailEntry);
        Assert.Equal(10u, KvmAbi.ExitIntr);
        Assert.Equal(17u, KvmAbi.ExitInternalError);
        Assert.Equal(36, KvmAbi.CapIoEventFd);
        Assert.Equal(203, KvmAbi.CapBinaryStatsFd);
        Assert.Equal(2u, KvmAbi.IoEventFdFlagPio);
        Assert.Equal(1u, KvmAbi.IoEventFdFlagDatamatch);
        Assert.Equal(4u, KvmAbi.IoEventFdFlagDeassign);
    }

    private static void Layout<T>(int size, params (string Field, int Offset)[] fields) where T : unmanaged
    {
        Assert.Equal(size, Marshal.SizeOf<T>());
        Assert.Equal(size, Unsafe.SizeOf<T>());
        foreach (var (field, offset) in fields)
            Assert.True(offset == (int)Marshal.OffsetOf<T>(field), $"{typeof(T).Name}.{field}: expected offset {offset}, got {Marshal.OffsetOf<T>(field)}");
    }

    [Fact]
    public void Kvm_userspace_memory_region_is_32_bytes() =>
        Layout<KvmUserspaceMemoryRegion>(32, ("Slot", 0), ("Flags", 4), ("GuestPhysAddr", 8), ("MemorySize", 16), ("UserspaceAddr", 24));

    [Fact]
    public void Kvm_regs_is_144_bytes() =>
        Layout<KvmRegs>(144, ("Rax", 0), ("Rcx", 16), ("Rdx", 24), ("Rsp", 48), ("R8", 64), ("R15", 120), ("Rip", 128), ("Rflags", 136));

    [Fact]
    public void Kvm_segment_is_24_bytes() =>
        Layout<KvmSegment>(24, ("Base", 0), ("Limit", 8), ("Selector", 12), ("Type", 14), ("Present", 15), ("Dpl", 16),
            ("Db", 17), ("S", 18), ("L", 19), ("G", 20), ("Avl", 21), ("Unusable", 22), ("Padding", 23));

    [Fact]
    public void Kvm_dtable_is_16_bytes() =>
        Layout<KvmDtable>(16, ("Base", 0), ("Limit", 8), ("Padding0", 10), ("Padding2", 14));

    [Fact]
    public void Kvm_sregs_is_312_bytes() =>
        Layout<KvmSregs>(312, ("Cs", 0), ("Ds", 24), ("Es", 48), ("Fs", 72), ("Gs", 96), ("Ss", 120), ("Tr", 144), ("Ldt", 168),
            ("Gdt", 192), ("Idt", 208), ("Cr0", 224), ("Cr2", 232), ("Cr3", 240), ("Cr4", 248), ("Cr8", 256),
            ("Efer", 264), ("ApicBase", 272), ("InterruptBitmap0", 280), ("InterruptBitmap3", 304));

    [Fact]
    public void Kvm_ioeventfd_is_64_bytes() =>
        Layout<KvmIoEventFd>(64, ("Datamatch", 0), ("Addr", 8), ("Len", 16), ("Fd", 20), ("Flags", 24));

    [Fact]
    public void Kvm_run_exit_fields_are_where_the_kernel_puts_them()
    {
        Layout<KvmRun>(2352, ("RequestInterruptWindow", 0), ("ImmediateExit", 1), ("ExitReason", 8),
            ("ReadyForInterruptInjection", 12), ("IfFlag", 13), ("Flags", 14), ("Cr8", 16), ("ApicBase", 24),
            ("HardwareExitReason", 32), ("Io", 32), ("Mmio", 32), ("KvmValidRegs", 288), ("KvmDirtyRegs", 296));
        Layout<KvmRunIo>(16, ("Direction", 0), ("Size", 1), ("Port", 2), ("Count", 4), ("DataOffset", 8));
        Layout<KvmRunMmio>(24, ("PhysAddr", 0), ("Data", 8), ("Len", 16), ("IsWrite", 20));
        Assert.Equal(KvmAbi.KvmRunExitUnionOffset, (int)Marshal.OffsetOf<KvmRun>("Io"));
    }

    [Fact]
    public void Kvm_run_reads_an_io_exit_from_raw_bytes()
    {
        var bytes = new byte[KvmAbi.KvmRunSize];
        BitConverter.TryWriteBytes(bytes.AsSpan(8), 2u);            // exit_reason = KVM_EXIT_IO
        bytes[32] = 1;                                              // direction OUT
        bytes[33] = 1;                                              // size
        BitConverter.TryWriteBytes(bytes.AsSpan(34), (ushort)0x3f8);// port
        BitConverter.TryWriteBytes(bytes.AsSpan(36), 1u);           // count
        BitConverter.TryWriteBytes(bytes.AsSpan(40), 4096UL);       // data_offset
        var run = MemoryMarshal.Read<KvmRun>(bytes);
        Assert.Equal(KvmAbi.ExitIo, run.ExitReason);
        Assert.Equal(KvmAbi.ExitIoOut, run.Io.Direction);
        Assert.Equal(1, run.Io.Size);
        Assert.Equal(0x3f8, run.Io.Port);
        Assert.Equal(1u, run.Io.Count);
        Assert.Equal(4096UL, run.Io.DataOffset);
    }

    [Fact]
    public void Kvm_run_reads_an_mmio_exit_from_raw_bytes()
    {
        var bytes = new byte[KvmAbi.KvmRunSize];
        BitConverter.TryWriteBytes(bytes.AsSpan(8), 6u);            // KVM_EXIT_MMIO
        BitConverter.TryWriteBytes(bytes.AsSpan(32), 0x10000UL);    // phys_addr
        bytes[40] = 0x42;                                           // data[0]
        BitConverter.TryWriteBytes(bytes.AsSpan(48), 1u);           // len
        bytes[52] = 1;                                              // is_write
        var run = MemoryMarshal.Read<KvmRun>(bytes);
        Assert.Equal(KvmAbi.ExitMmio, run.ExitReason);
        Assert.Equal(0x10000UL, run.Mmio.PhysAddr);
        Assert.Equal(0x42UL, run.Mmio.Data & 0xFF);
        Assert.Equal(1u, run.Mmio.Len);
        Assert.Equal(1, run.Mmio.IsWrite);
    }

    [Fact]
    public void Stats_structs_match_the_kernel_header()
    {
        Layout<KvmStatsHeader>(24, ("Flags", 0), ("NameSize", 4), ("NumDesc", 8), ("IdOffset", 12), ("DescOffset", 16), ("DataOffset", 20));
        Layout<KvmStatsDesc>(16, ("Flags", 0), ("Exponent", 4), ("Size", 6), ("Offset", 8), ("BucketSize", 12));
    }
}
