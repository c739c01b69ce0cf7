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
    /// <paramref name="count"/> × <c>out dx, al</c> to <paramref name="port"/>, then one
    /// <c>out</c> to <see cref="DonePort"/> and <c>hlt</c>; jumps back to the start if resumed.
    /// </summary>
    public static GuestProgram OutLoop(ushort port, ushort count, string name = "out-loop")
    {
        if (count == 0) throw new ArgumentOutOfRangeException(nameof(count));
        var a = new RealModeAssembler();
        a.Label("start")
         .Mov(Reg16.Dx, port)
         .Mov(Reg8.Al, 0x41)
         .Mov(Reg16.Cx, count)
         .Label("loop")
         .OutDxAl()
         .Dec(Reg16.Cx)
         .Jnz("loop");
        Finish(a);
        return new GuestProgram(name, a.Assemble(), $"{count} × out 0x{port:x} then out 0x{DonePort:x}, hlt");
    }

    /// <summary>
    /// <paramref name="count"/> × <c>mov [offset], al</c> with DS = <see cref="MmioSegment"/>,
    /// then <c>out</c> to <see cref="DonePort"/> and <c>hlt</c>.
    /// </summary>
    public static GuestProgram MmioLoop(ushort offset, ushort count, string name = "mmio-loop")
    {
        if (count == 0) throw new ArgumentOutOfRangeException(nameof(count));
        var a = new RealModeAssembler();
        a.Label("start")
         .Mov(Reg16.Ax, MmioSegment)
         .Mov(SegReg.Ds, Reg16.Ax)
         .Mov(Reg8.Al, 0x42)
         .Mov(Reg16.Cx, count)
         .Label("loop")
         .MovToMemory(offset)
         .Dec(Reg16.Cx)
         .Jnz("loop");
        Finish(a);
        ulong gpa = MmioSegment * 16UL + offset;
        return new GuestProgram(name, a.Assemble(), $"{count} × mov [0x{gpa:x}], al then out 0x{DonePort:x}, hlt");
    }

    /// <summary><c>hlt</c> forever: every KVM_RUN returns KVM_EXIT_HLT (no in-kernel LAPIC).</summary>
    public static GuestProgram HaltLoop()
    {
        var a = new RealModeAssembler();
        a.Label("start").Hlt().JmpShort("start");
        return new GuestProgram("hlt-loop", a.Assemble(), "hlt; jmp back");
    }

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

    private static void Finish(RealModeAssembler a) =>
        a.Mov(Reg16.Dx, DonePort)
         .OutDxAl()
         .Hlt()
         .JmpShort("start");
}
