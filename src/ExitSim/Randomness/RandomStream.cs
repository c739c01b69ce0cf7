using System.Numerics;
using System.Runtime.CompilerServices;

namespace ExitSim.Randomness;

/// <summary>
/// xoshiro256** generator (Blackman &amp; Vigna 2018): one instance per replication and per stream.
/// A sealed class (not a struct) so it can be shared by reference without copies; no virtual calls.
/// </summary>
public sealed class RandomStream
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the 256-bit state from a 64-bit key with SplitMix64, as the authors recommend.</summary>
    public RandomStream(ulong key)
    {
        ulong x = key;
        _s0 = SplitMix64.Next(ref x);
        _s1 = SplitMix64.Next(ref x);
        _s2 = SplitMix64.Next(ref x);
        _s3 = SplitMix64.Next(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1; // the all-zero state is a fixed point
    }

    /// <summary>A generator in a given raw state (for checks against the reference implementation).</summary>
    internal RandomStream(ulong s0, ulong s1, ulong s2, ulong s3) => (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);

    /// <summary>The generator for one purpose of one replication: independent of every other (seed, replication, stream).</summary>
    public static RandomStream For(ulong seed, int replication, StreamId stream, int index = 0) =>
        new(StreamKey(seed, replication, stream, index));

    /// <summary>Mixes the coordinates with the SplitMix64 finaliser so neighbouring seeds give unrelated states.</summary>
    public static ulong StreamKey(ulong seed, int replication, StreamId stream, int index)
    {
        ulong h = SplitMix64.Mix(seed ^ 0x9E3779B97F4A7C15UL);
        h = SplitMix64.Mix(h ^ (ulong)(uint)replication * 0xD1B54A32D192ED03UL);
        h = SplitMix64.Mix(h ^ (ulong)(uint)stream * 0xABC98388FB8FAC03UL);
        h = SplitMix64.Mix(h ^ (ulong)(uint)index * 0x8CB92BA72F3D8DD7UL);
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on (0, 1]: safe to take the logarithm of.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));
}
