using System.Buffers.Binary;
using System.Text;
using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

public sealed class KvmBinaryStatsTests
{
    /// <summary>A stats file as kvm.h describes it: header, descriptors with names of name_size bytes, data block.</summary>
    private static byte[] StatsFile()
    {
        const int nameSize = 48, descSize = 16 + nameSize;
        const int descOffset = 24 + nameSize; // the id string ("kvm-1234/vcpu-0") sits between header and descriptors
        const int dataOffset = descOffset + 3 * descSize;
        var file = new byte[dataOffset + 4 * 8];
        var s = file.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], nameSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], 3);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], 24);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], descOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], dataOffset);
        Encoding.ASCII.GetBytes("kvm-1234/vcpu-0").CopyTo(s[24..]);
        void Desc(int i, uint flags, ushort size, uint offset, string name)
        {
            var d = file.AsSpan(descOffset + i * descSize, descSize);
            BinaryPrimitives.WriteUInt32LittleEndian(d, flags);
            BinaryPrimitives.WriteInt16LittleEndian(d[4..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(d[6..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(d[8..], offset);
            Encoding.ASCII.GetBytes(name).CopyTo(d[16..]);
        }
        Desc(0, 0x00, 1, 0, "io_exits");          // cumulative, unit none
        Desc(1, 0x00, 1, 8, "halt_exits");
        Desc(2, 0x14, 2, 16, "some_hist");         // LOG_HIST | BYTES, two values
        BinaryPrimitives.WriteUInt64LittleEndian(s[(dataOffset + 0)..], 20_001);
        BinaryPrimitives.WriteUInt64LittleEndian(s[(dataOffset + 8)..], 7);
        BinaryPrimitives.WriteUInt64LittleEndian(s[(dataOffset + 16)..], 3);
        BinaryPrimitives.WriteUInt64LittleEndian(s[(dataOffset + 24)..], 4);
        return file;
    }

    [Fact]
    public void Parses_names_values_and_types()
    {
        var stats = KvmBinaryStats.Parse(StatsFile());
        Assert.Equal(3, stats.Count);
        Assert.Equal(20_001UL, stats["io_exits"].Value);
        Assert.True(stats["io_exits"].IsCumulative);
        Assert.Equal(7UL, stats["halt_exits"].Value);
        Assert.Equal(new ulong[] { 3, 4 }, stats["some_hist"].Values);
        Assert.False(stats["some_hist"].IsCumulative);
    }

    [Fact]
    public void Truncated_files_are_refused()
    {
        var file = StatsFile();
        Assert.Throws<FormatException>(() => KvmBinaryStats.Parse(file.AsSpan(0, 10)));
        Assert.Throws<FormatException>(() => KvmBinaryStats.Parse(file.AsSpan(0, file.Length - 8)));
    }
}
