using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

public sealed class GuestProgramsTests
{
    [Fact]
    public void Out_loop_layout()
    {
        var p = GuestPrograms.OutLoop(0x0510, 1000);
        Assert.Equal(new byte[]
        {
            0xBA, 0x10, 0x05,       // 0:  mov dx, 0x510
            0xB0, 0x41,             // 3:  mov al, 0x41
            0xB9, 0xE8, 0x03,       // 5:  mov cx, 1000
            0xEE,                   // 8:  loop: out dx, al
            0x49,                   // 9:  dec cx
            0x75, 0xFC,             // 10: jnz loop (12 − 4 = 8)
            0xBA, 0x30, 0x05,       // 12: mov dx, 0x530 (DonePort)
            0xEE,                   // 15: out dx, al
            0xF4,                   // 16: hlt
            0xEB, 0xED,             // 17: jmp start (19 − 19 = 0)
        }, p.Code);
    }

    [Fact]
    public void Mmio_loop_layout_writes_past_guest_ram()
    {
        var p = GuestPrograms.MmioLoop(GuestPrograms.UserspaceMmioOffset, 500);
        Assert.Equal(new byte[]
        {
            0xB8, 0x00, 0x10,       // 0:  mov ax, 0x1000
            0x8E, 0xD8,             // 3:  mov ds, ax
            0xB0, 0x42,             // 5:  mov al, 0x42
            0xB9, 0xF4, 0x01,       // 7:  mov cx, 500
            0xA2, 0x00, 0x00,       // 10: loop: mov [0x0000], al  → GPA 0x10000
            0x49,                   // 13: dec cx
            0x75, 0xFA,             // 14: jnz loop (16 − 6 = 10)
            0xBA, 0x30, 0x05,       // 16: mov dx, 0x530
            0xEE,                   // 19: out dx, al
            0xF4,                   // 20: hlt
            0xEB, 0xE9,             // 21: jmp start (23 − 23 = 0)
        }, p.Code);
        Assert.Equal(0x10000UL, GuestPrograms.UserspaceMmioAddress);
        Assert.True(GuestPrograms.UserspaceMmioAddress >= GuestPrograms.MemorySize, "the MMIO address must not be guest RAM");
        Assert.True(GuestPrograms.IoEventFdMmioAddress >= GuestPrograms.MemorySize);
        Assert.NotEqual(GuestPrograms.UserspaceMmioAddress, GuestPrograms.IoEventFdMmioAddress);
    }

    [Fact]
    public void Halt_loop_layout() => Assert.Equal(new byte[] { 0xF4, 0xEB, 0xFD }, GuestPrograms.HaltLoop().Code);

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
                     GuestPrograms.OutLoop(GuestPrograms.UserspacePort, 65535), GuestPrograms.MmioLoop(0x100, 1),
                     GuestPrograms.HaltLoop(), GuestPrograms.ComputeLoop(uint.MaxValue),
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
        Assert.Throws<ArgumentOutOfRangeException>(() => GuestPrograms.OutLoop(0x510, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GuestPrograms.MmioLoop(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GuestPrograms.ComputeLoop(0));
    }
}
