namespace ExitSim.Probe;

/// <summary>16-bit general registers, numbered as in the x86 ModRM/opcode+r encoding.</summary>
public enum Reg16 : byte { Ax = 0, Cx = 1, Dx = 2, Bx = 3, Sp = 4, Bp = 5, Si = 6, Di = 7 }

/// <summary>8-bit registers, numbered as in the x86 opcode+r encoding.</summary>
public enum Reg8 : byte { Al = 0, Cl = 1, Dl = 2, Bl = 3, Ah = 4, Ch = 5, Dh = 6, Bh = 7 }

/// <summary>Segment registers as encoded in the reg field of <c>mov Sreg, r/m16</c> (8E /r).</summary>
public enum SegReg : byte { Es = 0, Cs = 1, Ss = 2, Ds = 3 }

/// <summary>
/// A tiny assembler for the handful of 16-bit real-mode instructions the probe guests use
/// (encodings from the Intel SDM Vol. 2 opcode tables). Labels may be used before they are
/// defined; <see cref="Assemble"/> resolves them and checks that short jumps fit in rel8.
/// </summary>
public sealed class RealModeAssembler
{
    private readonly List<byte> _bytes = new();
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
    private readonly List<(int At, string Label, bool Short)> _fixups = new();

    /// <summary>Where the code will be loaded (its guest offset in CS); only used for <see cref="Here"/>.</summary>
    public ushort Origin { get; }

    public RealModeAssembler(ushort origin = 0) => Origin = origin;

    /// <summary>Bytes emitted so far.</summary>
    public int Length => _bytes.Count;

    /// <summary>The guest offset of the next instruction.</summary>
    public int Here => Origin + _bytes.Count;

    public RealModeAssembler Label(string name)
    {
        if (!_labels.TryAdd(name, _bytes.Count)) throw new InvalidOperationException($"label '{name}' defined twice");
        return this;
    }

    /// <summary><c>mov r16, imm16</c>: B8+r iw.</summary>
    public RealModeAssembler Mov(Reg16 reg, ushort imm) => Emit((byte)(0xB8 + (byte)reg), Lo(imm), Hi(imm));

    /// <summary><c>mov r8, imm8</c>: B0+r ib.</summary>
    public RealModeAssembler Mov(Reg8 reg, byte imm) => Emit((byte)(0xB0 + (byte)reg), imm);

    /// <summary><c>mov r32, imm32</c> in 16-bit code: operand-size prefix 66, then B8+r id.</summary>
    public RealModeAssembler Mov32(Reg16 reg, uint imm) =>
        Emit(0x66, (byte)(0xB8 + (byte)reg), (byte)imm, (byte)(imm >> 8), (byte)(imm >> 16), (byte)(imm >> 24));

    /// <summary><c>mov Sreg, r16</c>: 8E /r with mod=11.</summary>
    public RealModeAssembler Mov(SegReg seg, Reg16 reg) => Emit(0x8E, (byte)(0xC0 | ((byte)seg << 3) | (byte)reg));

    /// <summary><c>mov [moffs16], al</c> (DS-relative): A2 iw.</summary>
    public RealModeAssembler MovToMemory(ushort address) => Emit(0xA2, Lo(address), Hi(address));

    /// <summary><c>mov [moffs16], ax</c> (DS-relative): A3 iw.</summary>
    public RealModeAssembler MovToMemoryWord(ushort address) => Emit(0xA3, Lo(address), Hi(address));

    /// <summary><c>out dx, al</c>: EE.</summary>
    public RealModeAssembler OutDxAl() => Emit(0xEE);

    /// <summary><c>out dx, ax</c>: EF.</summary>
    public RealModeAssembler OutDxAx() => Emit(0xEF);

    /// <summary><c>out imm8, al</c>: E6 ib.</summary>
    public RealModeAssembler OutAl(byte port) => Emit(0xE6, port);

    /// <summary><c>in al, dx</c>: EC.</summary>
    public RealModeAssembler InAlDx() => Emit(0xEC);

    /// <summary><c>in ax, dx</c>: ED.</summary>
    public RealModeAssembler InAxDx() => Emit(0xED);

    /// <summary><c>inc r16</c>: 40+r (the one-byte form exists in 16/32-bit mode).</summary>
    public RealModeAssembler Inc(Reg16 reg) => Emit((byte)(0x40 + (byte)reg));

    /// <summary><c>dec r16</c>: 48+r.</summary>
    public RealModeAssembler Dec(Reg16 reg) => Emit((byte)(0x48 + (byte)reg));

    /// <summary><c>dec r32</c> in 16-bit code: 66 48+r.</summary>
    public RealModeAssembler Dec32(Reg16 reg) => Emit(0x66, (byte)(0x48 + (byte)reg));

    /// <summary><c>xor r32, r32</c> in 16-bit code: 66 31 /r (mod=11, reg=source, rm=destination).</summary>
    public RealModeAssembler Xor32(Reg16 destination, Reg16 source) =>
        Emit(0x66, 0x31, (byte)(0xC0 | ((byte)source << 3) | (byte)destination));

    /// <summary><c>hlt</c>: F4.</summary>
    public RealModeAssembler Hlt() => Emit(0xF4);

    /// <summary><c>nop</c>: 90.</summary>
    public RealModeAssembler Nop() => Emit(0x90);

    /// <summary><c>cli</c>: FA.</summary>
    public RealModeAssembler Cli() => Emit(0xFA);

    /// <summary><c>jnz rel8</c>: 75 cb.</summary>
    public RealModeAssembler Jnz(string label) => Branch(0x75, label);

    /// <summary><c>jz rel8</c>: 74 cb.</summary>
    public RealModeAssembler Jz(string label) => Branch(0x74, label);

    /// <summary><c>loop rel8</c> (dec cx, jump if cx ≠ 0): E2 cb.</summary>
    public RealModeAssembler Loop(string label) => Branch(0xE2, label);

    /// <summary><c>jmp rel8</c>: EB cb.</summary>
    public RealModeAssembler JmpShort(string label) => Branch(0xEB, label);

    /// <summary><c>jmp rel8</c> with an explicit displacement (from the end of the instruction).</summary>
    public RealModeAssembler JmpShort(sbyte displacement) => Emit(0xEB, unchecked((byte)displacement));

    /// <summary><c>jmp rel16</c>: E9 cw.</summary>
    public RealModeAssembler JmpNear(string label)
    {
        Emit(0xE9);
        _fixups.Add((_bytes.Count, label, false));
        return Emit(0, 0);
    }

    /// <summary>Raw bytes (for data or an instruction this assembler does not know).</summary>
    public RealModeAssembler Emit(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>The offset of a defined label from the start of the code.</summary>
    public int OffsetOf(string label) =>
        _labels.TryGetValue(label, out int at) ? at : throw new InvalidOperationException($"label '{label}' is not defined");

    /// <summary>Resolves every jump and returns the machine code.</summary>
    public byte[] Assemble()
    {
        var code = _bytes.ToArray();
        foreach (var (at, label, isShort) in _fixups)
        {
            int target = OffsetOf(label);
            int next = at + (isShort ? 1 : 2);
            int displacement = target - next;
            if (isShort)
            {
                if (displacement is < sbyte.MinValue or > sbyte.MaxValue)
                    throw new InvalidOperationException($"jump to '{label}' is {displacement} bytes: out of rel8 range");
                code[at] = unchecked((byte)(sbyte)displacement);
            }
            else
            {
                ushort d = unchecked((ushort)(short)displacement);
                code[at] = Lo(d);
                code[at + 1] = Hi(d);
            }
        }
        return code;
    }

    private RealModeAssembler Branch(byte opcode, string label)
    {
        Emit(opcode);
        _fixups.Add((_bytes.Count, label, true));
        return Emit(0);
    }

    private static byte Lo(ushort v) => (byte)v;
    private static byte Hi(ushort v) => (byte)(v >> 8);
}
