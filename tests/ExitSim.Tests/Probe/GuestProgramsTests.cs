using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

public sealed class GuestProgramsTests
{
    [Fact]
    public void Exit_loop_layout()
    {
        var p = GuestPrograms.ExitLoop(LoopExit.UserspacePio, 1000);
        Assert.Equal(new byte[]
        {
            0xB8, 0x00, 0x10,                   // 0:  mov ax, 0x1000
            0x8E, 0xD8,                         // 3:  mov ds, ax
            0xB0, 0x41,                         // 5:  mov al, 0x41
            0xBA, 0x10, 0x05,                   // 7:  mov dx, 0x510
            0x66, 0xB9, 0xE8, 0x03, 0x00, 0x00, // 10: mov ecx, 1000
            0xEE,                               // 16: loop: out dx, al
            0x66, 0x49,                         // 17: dec ecx
            0x75, 0xFB,                         // 19: jnz loop (21 − 5 = 16)
            0xBA, 0x30, 0x05,                   // 21: mov dx, 0x530 (DonePort)
            0xEE,                               // 24: out dx, al
            0xF4,                               // 25: hlt
            0xEB, 0xE4,                         // 26: jmp start (0 − 28 = −28)
        }, p.Code);
    }

    [Fact]
    public void The_loop_without_the_exit_differs_only_by_the_exit_instruction()
    {
        var with = GuestPrograms.ExitLoop(LoopExit.UserspacePio, 1000).Code;
        var without = GuestPrograms.ExitLoop(LoopExit.None, 1000).Code;
        Assert.Equal(with.Length - 1, without.Length);
        Assert.Equal(with[..16], without[..16]);
        Assert.Equal(new byte[] { 0x66, 0x49, 0x75, 0xFC }, without[16..20]); // dec ecx; jnz loop (20 − 4 = 16)
        // Each exit's instruction, in the same place; the ioeventfd port is loaded into dx for its out.
        Assert.Equal(new byte[] { 0xA2, 0x00, 0x00 }, GuestPrograms.ExitLoop(LoopExit.UserspaceMmio, 5).Code[16..19]);
        Assert.Equal(new byte[] { 0xA2, 0x00, 0x01 }, GuestPrograms.ExitLoop(LoopExit.IoEventFdMmio, 5).Code[16..19]);
        Assert.Equal(0xF4, GuestPrograms.ExitLoop(LoopExit.Hlt, 5).Code[16]);
        Assert.Equal(new byte[] { 0xBA, 0x20, 0x05 }, GuestPrograms.ExitLoop(LoopExit.IoEventFdPio, 5).Code[7..10]);
        Assert.Equal(0x10000UL, GuestPrograms.UserspaceMmioAddress);
        Assert.True(GuestPrograms.UserspaceMmioAddress >= GuestPrograms.MemorySize, "the MMIO address must not be guest RAM");
        Assert.True(GuestPrograms.IoEventFdMmioAddress >= GuestPrograms.MemorySize);
        Assert.NotEqual(GuestPrograms.UserspaceMmioAddress, GuestPrograms.IoEventFdMmioAddress);
    }

    [Fact]
    public void Compute_loop_layout()
    {
        var p = GuestPrograms.ComputeLoop(2_000_000); // 0x001E8480
        Assert.Equal(new byte[]
        {
            0x66, 0xB9, 0x80, 0x84, 0x1E, 0x00, // 0:  mov ecx, 2000000
            0x66, 0x31, 0xCB,                   // 6:  loop: xor ebx, ecx
            0x66, 0x49,                         // 9:  dec ecx
            0x75, 0xF9,                         // 11: jnz loop (13 − 7 = 6)
            0xF4,                               // 13: hlt
            0xEB, 0xF0,                         // 14: jmp start (16 − 16 = 0)
        }, p.Code);
    }

    [Fact]
    public void Programs_use_no_cpuid_and_fit_in_guest_memory()
    {
        foreach (var p in new[]
                 {
                     GuestPrograms.ExitLoop(LoopExit.UserspacePio, uint.MaxValue), GuestPrograms.ExitLoop(LoopExit.IoEventFdMmio, 1),
                     GuestPrograms.ExitLoop(LoopExit.Hlt, 7), GuestPrograms.ExitLoop(LoopExit.None, 7), GuestPrograms.ComputeLoop(uint.MaxValue),
                 })
        {
            Assert.True(p.Code.Length < 64, p.Name);
            for (int i = 0; i + 1 < p.Code.Length; i++)
                Assert.False(p.Code[i] == 0x0F && p.Code[i + 1] == 0xA2, $"{p.Name} contains cpuid (0F A2)");
        }
    }

    [Fact]
    public void Ports_are_distinct_and_unclaimed_by_pc_devices()
    {
        var ports = new[] { GuestPrograms.UserspacePort, GuestPrograms.IoEventFdPort, GuestPrograms.DonePort };
        Assert.Equal(3, ports.Distinct().Count());
        Assert.DoesNotContain(ports, p => p < 0x100 || p is >= 0x3f8 and <= 0x3ff || p == 0x4d0 || p == 0x4d1);
    }

    [Fact]
    public void Zero_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GuestPrograms.ExitLoop(LoopExit.UserspacePio, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GuestPrograms.ComputeLoop(0));
    }
}
