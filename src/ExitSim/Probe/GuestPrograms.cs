namespace ExitSim.Probe;

/// <summary>A guest program: machine code loaded at GPA <see cref="GuestPrograms.LoadAddress"/>, entered in real mode at offset 0.</summary>
public sealed record GuestProgram(string Name, byte[] Code, string Description);

/// <summary>
/// The probe guests (16-bit real mode, CS = DS = 0 unless the program sets DS; no CPUID, no
/// interrupts: the VM has no in-kernel irqchip). Each one ends by halting, so the host sees
/// KVM_EXIT_HLT when the program is done.
/// </summary>
public static class GuestPrograms
{
    /// <summary>Guest memory: 64 KiB at GPA 0; code at 0, the rest is scratch.</summary>
    public const ulong MemorySize = 64 * 1024;
    public const ulong LoadAddress = 0;

    /// <summary>A port no device claims: every <c>out</c> to it exits to userspace (KVM_EXIT_IO).</summary>
    public const ushort UserspacePort = 0x0510;

    /// <summary>The port registered with KVM_IOEVENTFD: handled in the kernel, no exit to userspace.</summary>
    public const ushort IoEventFdPort = 0x0520;

    /// <summary>The port a program writes once when it has finished a batch (exits to userspace).</summary>
    public const ushort DonePort = 0x0530;

    /// <summary>DS for MMIO: linear = DS × 16 + offset, so 0x1000:0000 is GPA 0x10000, just past guest RAM (unmapped).</summary>
    public const ushort MmioSegment = 0x1000;

    /// <summary>GPA of the userspace MMIO write (no memslot, no ioeventfd: KVM_EXIT_MMIO).</summary>
    public const ulong UserspaceMmioAddress = MmioSegment * 16UL + UserspaceMmioOffset;
    public const ushort UserspaceMmioOffset = 0x0000;

    /// <summary>GPA of the MMIO write registered with KVM_IOEVENTFD.</summary>
    public const ulong IoEventFdMmioAddress = MmioSegment * 16UL + IoEventFdMmioOffset;
    public const ushort IoEventFdMmioOffset = 0x0100;

    /// <summary>
    /// The probe's loop: <paramref name="count"/> iterations of the exit instruction (none for
    /// <see cref="LoopExit.None"/>, the same loop without it), then one <c>out</c> to
    /// <see cref="DonePort"/> and <c>hlt</c>; jumps back to the start if resumed:
    /// <code>
    ///   mov ax, 0x1000; mov ds, ax; mov al, 0x41; mov dx, port; mov ecx, count
    /// L: [out dx, al | mov [offset], al | hlt]; dec ecx; jnz L
    ///   mov dx, DonePort; out dx, al; hlt; jmp start
    /// </code>
    /// A path's cost is this loop with its exit minus the same loop without it, so what the loop's
    /// own instructions cost (about 1 ns natively, microseconds where KVM emulates every guest
    /// instruction, as under nested kvm_pvm) is not charged to the exit.
    /// </summary>
    public static GuestProgram ExitLoop(LoopExit exit, uint count)
    {
        if (count == 0) throw new ArgumentOutOfRangeException(nameof(count));
        var a = new RealModeAssembler();
        a.Label("start")
         .Mov(Reg16.Ax, MmioSegment)
         .Mov(SegReg.Ds, Reg16.Ax)
         .Mov(Reg8.Al, 0x41)
         .Mov(Reg16.Dx, exit == LoopExit.IoEventFdPio ? IoEventFdPort : UserspacePort)
         .Mov32(Reg16.Cx, count)
         .Label("loop");
        switch (exit)
        {
            case LoopExit.UserspacePio or LoopExit.IoEventFdPio: a.OutDxAl(); break;
            case LoopExit.UserspaceMmio: a.MovToMemory(UserspaceMmioOffset); break;
            case LoopExit.IoEventFdMmio: a.MovToMemory(IoEventFdMmioOffset); break;
            case LoopExit.Hlt: a.Hlt(); break;
        }
        a.Dec32(Reg16.Cx)
         .Jnz("loop")
         .Mov(Reg16.Dx, DonePort)
         .OutDxAl()
         .Hlt()
         .JmpShort("start");
        return new GuestProgram($"loop-{exit}", a.Assemble(), $"{count} × {Describe(exit)}dec ecx; jnz, then out 0x{DonePort:x}, hlt");
    }

    private static string Describe(LoopExit exit) => exit switch
    {
        LoopExit.UserspacePio => $"out 0x{UserspacePort:x}; ",
        LoopExit.IoEventFdPio => $"out 0x{IoEventFdPort:x}; ",
        LoopExit.UserspaceMmio => $"mov [0x{UserspaceMmioAddress:x}], al; ",
        LoopExit.IoEventFdMmio => $"mov [0x{IoEventFdMmioAddress:x}], al; ",
        LoopExit.Hlt => "hlt; ",
        _ => "",
    };

    /// <summary>
    /// The guest-speed loop: <c>mov ecx, N; L: xor ebx, ecx; dec ecx; jnz L</c>, then <c>hlt</c> — the
    /// same work as <see cref="ProbeRunner.HostLoop"/>. No exits inside the loop, so one KVM_RUN
    /// times N iterations of guest execution.
    /// </summary>
    public static GuestProgram ComputeLoop(uint iterations)
    {
        if (iterations == 0) throw new ArgumentOutOfRangeException(nameof(iterations));
        var a = new RealModeAssembler();
        a.Label("start")
         .Mov32(Reg16.Cx, iterations)
         .Label("loop")
         .Xor32(Reg16.Bx, Reg16.Cx)
         .Dec32(Reg16.Cx)
         .Jnz("loop")
         .Hlt()
         .JmpShort("start");
        return new GuestProgram("compute-loop", a.Assemble(), $"{iterations} × xor ebx, ecx; dec ecx; jnz, then hlt");
    }
}
