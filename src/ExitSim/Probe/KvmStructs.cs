using System.Runtime.InteropServices;

namespace ExitSim.Probe;

// Layouts copied field by field from the kernel UAPI headers (see KvmAbi for the commits read).
// Tests check every size and offset against the C layout (x86-64, natural alignment).

/// <summary><c>struct kvm_userspace_memory_region</c> (include/uapi/linux/kvm.h), 32 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmUserspaceMemoryRegion
{
    public uint Slot;
    public uint Flags;
    public ulong GuestPhysAddr;
    public ulong MemorySize;
    public ulong UserspaceAddr;
}

/// <summary><c>struct kvm_regs</c> (arch/x86/include/uapi/asm/kvm.h), 18 × u64 = 144 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRegs
{
    public ulong Rax, Rbx, Rcx, Rdx;
    public ulong Rsi, Rdi, Rsp, Rbp;
    public ulong R8, R9, R10, R11;
    public ulong R12, R13, R14, R15;
    public ulong Rip, Rflags;
}

/// <summary><c>struct kvm_segment</c> (asm/kvm.h), 24 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmSegment
{
    public ulong Base;
    public uint Limit;
    public ushort Selector;
    public byte Type;
    public byte Present, Dpl, Db, S, L, G, Avl;
    public byte Unusable;
    public byte Padding;
}

/// <summary><c>struct kvm_dtable</c> (asm/kvm.h), 16 bytes: base u64, limit u16, padding u16[3].</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmDtable
{
    public ulong Base;
    public ushort Limit;
    public ushort Padding0, Padding1, Padding2;
}

/// <summary>
/// <c>struct kvm_sregs</c> (asm/kvm.h), 312 bytes: 8 segments (192), gdt/idt (32), cr0, cr2, cr3,
/// cr4, cr8, efer, apic_base (56), interrupt_bitmap[(256 + 63) / 64] (32).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmSregs
{
    public KvmSegment Cs, Ds, Es, Fs, Gs, Ss;
    public KvmSegment Tr, Ldt;
    public KvmDtable Gdt, Idt;
    public ulong Cr0, Cr2, Cr3, Cr4, Cr8;
    public ulong Efer;
    public ulong ApicBase;
    public ulong InterruptBitmap0, InterruptBitmap1, InterruptBitmap2, InterruptBitmap3;
}

/// <summary>
/// <c>struct kvm_ioeventfd</c> (kvm.h), 64 bytes: datamatch u64, addr u64, len u32, fd s32,
/// flags u32, pad[36] (the padding is the declared Size).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
public struct KvmIoEventFd
{
    public ulong Datamatch;
    public ulong Addr;
    public uint Len;
    public int Fd;
    public uint Flags;
}

/// <summary><c>kvm_run.io</c> (KVM_EXIT_IO), 16 bytes at offset 32 of kvm_run.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRunIo
{
    public byte Direction;
    public byte Size;
    public ushort Port;
    public uint Count;
    /// <summary>Relative to the start of kvm_run.</summary>
    public ulong DataOffset;
}

/// <summary><c>kvm_run.mmio</c> (KVM_EXIT_MMIO): phys_addr u64, data[8], len u32, is_write u8 (24 bytes with tail padding).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRunMmio
{
    public ulong PhysAddr;
    /// <summary>data[8], little-endian: byte 0 is the first byte written.</summary>
    public ulong Data;
    public uint Len;
    public byte IsWrite;
}

/// <summary>
/// The parts of <c>struct kvm_run</c> (kvm.h, x86) the probe reads. The whole structure is
/// <see cref="KvmAbi.KvmRunSize"/> bytes: header (32), exit union padded to 256, kvm_valid_regs,
/// kvm_dirty_regs, sync-regs union padded to SYNC_REGS_SIZE_BYTES = 2048.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = KvmAbi.KvmRunSize)]
public struct KvmRun
{
    [FieldOffset(0)] public byte RequestInterruptWindow;
    [FieldOffset(1)] public byte ImmediateExit;
    [FieldOffset(8)] public uint ExitReason;
    [FieldOffset(12)] public byte ReadyForInterruptInjection;
    [FieldOffset(13)] public byte IfFlag;
    [FieldOffset(14)] public ushort Flags;
    [FieldOffset(16)] public ulong Cr8;
    [FieldOffset(24)] public ulong ApicBase;
    /// <summary>hw.hardware_exit_reason (KVM_EXIT_UNKNOWN) / fail_entry.hardware_entry_failure_reason.</summary>
    [FieldOffset(32)] public ulong HardwareExitReason;
    /// <summary>internal.suberror (KVM_EXIT_INTERNAL_ERROR).</summary>
    [FieldOffset(32)] public uint InternalSuberror;
    [FieldOffset(32)] public KvmRunIo Io;
    [FieldOffset(32)] public KvmRunMmio Mmio;
    [FieldOffset(288)] public ulong KvmValidRegs;
    [FieldOffset(296)] public ulong KvmDirtyRegs;
}

/// <summary><c>struct kvm_stats_header</c> (kvm.h), 24 bytes, at offset 0 of a stats fd.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmStatsHeader
{
    public uint Flags;
    public uint NameSize;
    public uint NumDesc;
    public uint IdOffset;
    public uint DescOffset;
    public uint DataOffset;
}

/// <summary><c>struct kvm_stats_desc</c> (kvm.h) without its trailing <c>char name[name_size]</c>: 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmStatsDesc
{
    public uint Flags;
    public short Exponent;
    public ushort Size;
    public uint Offset;
    public uint BucketSize;
}
