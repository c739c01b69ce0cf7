using System.Buffers.Binary;
using System.Text;

namespace ExitSim.Probe;

/// <summary>One statistic read from a KVM binary stats fd (KVM_GET_STATS_FD, Linux 5.14+).</summary>
public sealed record KvmStat(string Name, uint Flags, short Exponent, ulong[] Values)
{
    public bool IsCumulative => (Flags & KvmAbi.StatsTypeMask) == KvmAbi.StatsTypeCumulative;
    public ulong Value => Values.Length > 0 ? Values[0] : 0;
}

/// <summary>
/// Parses the binary stats file layout documented in kvm.h (struct kvm_stats_header and
/// struct kvm_stats_desc): the header at offset 0, <c>num_desc</c> descriptors of
/// 16 + <c>name_size</c> bytes at <c>desc_offset</c>, and each statistic's <c>size</c> u64 values
/// at <c>data_offset + desc.offset</c>. Pure: works on bytes, so it is tested without /dev/kvm.
/// </summary>
public static class KvmBinaryStats
{
    public const int HeaderSize = 24;
    public const int DescFixedSize = 16;

    /// <summary>Parses a whole stats file image. Throws <see cref="FormatException"/> on a malformed image.</summary>
    public static IReadOnlyDictionary<string, KvmStat> Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < HeaderSize) throw new FormatException("stats file shorter than its 24-byte header");
        uint nameSize = U32(file, 4), numDesc = U32(file, 8), descOffset = U32(file, 16), dataOffset = U32(file, 20);
        long descSize = DescFixedSize + (long)nameSize;
        var result = new Dictionary<string, KvmStat>(StringComparer.Ordinal);
        for (long i = 0; i < numDesc; i++)
        {
            long at = descOffset + i * descSize;
            if (at + descSize > file.Length) throw new FormatException($"stats descriptor {i} lies beyond the end of the file");
            var d = file.Slice((int)at, (int)descSize);
            uint flags = U32(d, 0);
            short exponent = BinaryPrimitives.ReadInt16LittleEndian(d.Slice(4));
            ushort size = BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(6));
            uint offset = U32(d, 8);
            var nameBytes = d.Slice(DescFixedSize, (int)nameSize);
            int nul = nameBytes.IndexOf((byte)0);
            string name = Encoding.ASCII.GetString(nul < 0 ? nameBytes : nameBytes[..nul]);
            long valuesAt = dataOffset + (long)offset;
            if (valuesAt + 8L * size > file.Length) throw new FormatException($"values of stat '{name}' lie beyond the end of the file");
            var values = new ulong[size];
            for (int k = 0; k < size; k++)
                values[k] = BinaryPrimitives.ReadUInt64LittleEndian(file.Slice((int)valuesAt + 8 * k));
            result[name] = new KvmStat(name, flags, exponent, values);
        }
        return result;
    }

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at));
}
