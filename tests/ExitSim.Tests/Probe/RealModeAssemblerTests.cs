using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

/// <summary>Encodings from the Intel SDM opcode tables; also checked with objdump -mi8086 when written.</summary>
public sealed class RealModeAssemblerTests
{
    private static byte[] Asm(Action<RealModeAssembler> build)
    {
        var a = new RealModeAssembler();
        build(a);
        return a.Assemble();
    }

    [Fact] public void Hlt() => Assert.Equal(new byte[] { 0xF4 }, Asm(a => a.Hlt()));
    [Fact] public void Nop() => Assert.Equal(new byte[] { 0x90 }, Asm(a => a.Nop()));
    [Fact] public void Out_dx_al() => Assert.Equal(new byte[] { 0xEE }, Asm(a => a.OutDxAl()));
    [Fact] public void Out_dx_ax() => Assert.Equal(new byte[] { 0xEF }, Asm(a => a.OutDxAx()));
    [Fact] public void Out_imm8_al() => Assert.Equal(new byte[] { 0xE6, 0x80 }, Asm(a => a.OutAl(0x80)));
    [Fact] public void In_al_dx() => Assert.Equal(new byte[] { 0xEC }, Asm(a => a.InAlDx()));
    [Fact] public void In_ax_dx() => Assert.Equal(new byte[] { 0xED }, Asm(a => a.InAxDx()));
    [Fact] public void Mov_dx_imm16() => Assert.Equal(new byte[] { 0xBA, 0xF8, 0x03 }, Asm(a => a.Mov(Reg16.Dx, 0x3f8)));
    [Fact] public void Mov_cx_imm16() => Assert.Equal(new byte[] { 0xB9, 0x34, 0x12 }, Asm(a => a.Mov(Reg16.Cx, 0x1234)));
    [Fact] public void Mov_al_imm8() => Assert.Equal(new byte[] { 0xB0, 0x41 }, Asm(a => a.Mov(Reg8.Al, 0x41)));
    [Fact] public void Mov_bh_imm8() => Assert.Equal(new byte[] { 0xB7, 0x07 }, Asm(a => a.Mov(Reg8.Bh, 7)));
    [Fact] public void Mov_ecx_imm32() => Assert.Equal(new byte[] { 0x66, 0xB9, 0x78, 0x56, 0x34, 0x12 }, Asm(a => a.Mov32(Reg16.Cx, 0x12345678)));
    [Fact] public void Mov_ds_ax() => Assert.Equal(new byte[] { 0x8E, 0xD8 }, Asm(a => a.Mov(SegReg.Ds, Reg16.Ax)));
    [Fact] public void Mov_es_bx() => Assert.Equal(new byte[] { 0x8E, 0xC3 }, Asm(a => a.Mov(SegReg.Es, Reg16.Bx)));
    [Fact] public void Mov_moffs_al() => Assert.Equal(new byte[] { 0xA2, 0x00, 0x10 }, Asm(a => a.MovToMemory(0x1000)));
    [Fact] public void Mov_moffs_ax() => Assert.Equal(new byte[] { 0xA3, 0x00, 0x10 }, Asm(a => a.MovToMemoryWord(0x1000)));
    [Fact] public void Dec_cx() => Assert.Equal(new byte[] { 0x49 }, Asm(a => a.Dec(Reg16.Cx)));
    [Fact] public void Inc_ax() => Assert.Equal(new byte[] { 0x40 }, Asm(a => a.Inc(Reg16.Ax)));
    [Fact] public void Dec_ecx() => Assert.Equal(new byte[] { 0x66, 0x49 }, Asm(a => a.Dec32(Reg16.Cx)));
    [Fact] public void Xor_ebx_ecx() => Assert.Equal(new byte[] { 0x66, 0x31, 0xCB }, Asm(a => a.Xor32(Reg16.Bx, Reg16.Cx)));
    [Fact] public void Jmp_short_minus_2_is_a_self_loop() => Assert.Equal(new byte[] { 0xEB, 0xFE }, Asm(a => a.JmpShort(-2)));
    [Fact] public void Jmp_short_to_own_label() => Assert.Equal(new byte[] { 0xEB, 0xFE }, Asm(a => a.Label("x").JmpShort("x")));

    [Fact]
    public void Jnz_backwards_over_dec()
    {
        // L: dec cx; jnz L  →  49 75 FD (displacement from the end of jnz: 0 − 3)
        Assert.Equal(new byte[] { 0x49, 0x75, 0xFD }, Asm(a => a.Label("L").Dec(Reg16.Cx).Jnz("L")));
    }

    [Fact]
    public void Loop_backwards() =>
        Assert.Equal(new byte[] { 0xEE, 0xE2, 0xFD }, Asm(a => a.Label("L").OutDxAl().Loop("L")));

    [Fact]
    public void Forward_jumps_are_resolved()
    {
        // jmp short end; nop; nop; end: hlt  →  EB 02 90 90 F4
        Assert.Equal(new byte[] { 0xEB, 0x02, 0x90, 0x90, 0xF4 }, Asm(a => a.JmpShort("end").Nop().Nop().Label("end").Hlt()));
    }

    [Fact]
    public void Near_jump_uses_rel16()
    {
        // jmp near end; 300 × nop; end: hlt  →  E9 2C 01 …
        var code = Asm(a =>
        {
            a.JmpNear("end");
            for (int i = 0; i < 300; i++) a.Nop();
            a.Label("end").Hlt();
        });
        Assert.Equal(new byte[] { 0xE9, 0x2C, 0x01 }, code[..3]);
        Assert.Equal(0xF4, code[^1]);
        Assert.Equal(304, code.Length);
    }

    [Fact]
    public void Short_jump_out_of_range_is_refused()
    {
        var a = new RealModeAssembler().Label("start");
        for (int i = 0; i < 200; i++) a.Nop();
        a.JmpShort("start");
        var e = Assert.Throws<InvalidOperationException>(() => a.Assemble());
        Assert.Contains("rel8", e.Message);
    }

    [Fact]
    public void Undefined_and_duplicate_labels_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new RealModeAssembler().Jnz("nowhere").Assemble());
        Assert.Throws<InvalidOperationException>(() => new RealModeAssembler().Label("a").Label("a"));
    }
}
