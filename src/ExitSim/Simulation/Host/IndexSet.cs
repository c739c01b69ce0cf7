using System.Numerics;

namespace ExitSim.Simulation.Host;

/// <summary>
/// A set of the integers 0..capacity-1 as a bitmap with summary levels (a bit per non-empty word of the
/// level below, up to one word): add, remove and "the first member at or after i" each touch one word per
/// level, so they take O(log64 capacity) — three steps for 262,144 members. The host scheduler finds the
/// next waiting thread in round-robin order with it instead of looking at every thread.
/// </summary>
internal sealed class IndexSet
{
    private readonly ulong[][] _levels;   // _levels[0] holds the members; the last level is one word
    private readonly int _capacity;

    public IndexSet(int capacity)
    {
        _capacity = capacity;
        var levels = new List<ulong[]>();
        int words = Math.Max(1, (capacity + 63) >> 6);
        while (true)
        {
            levels.Add(new ulong[words]);
            if (words == 1) break;
            words = (words + 63) >> 6;
        }
        _levels = [.. levels];
    }

    public bool Contains(int i) => (_levels[0][i >> 6] & (1UL << (i & 63))) != 0;

    public void Add(int i)
    {
        for (int level = 0; level < _levels.Length; level++)
        {
            ref ulong word = ref _levels[level][i >> 6];
            bool wasEmpty = word == 0;
            word |= 1UL << (i & 63);
            if (!wasEmpty) return;   // the levels above already mark this word
            i >>= 6;
        }
    }

    public void Remove(int i)
    {
        for (int level = 0; level < _levels.Length; level++)
        {
            ref ulong word = ref _levels[level][i >> 6];
            word &= ~(1UL << (i & 63));
            if (word != 0) return;   // the word still has members: the levels above stay marked
            i >>= 6;
        }
    }

    public void Clear()
    {
        foreach (var level in _levels) Array.Clear(level);
    }

    /// <summary>The smallest member at or after <paramref name="from"/>, or -1.</summary>
    public int Next(int from)
    {
        if ((uint)from >= (uint)_capacity) return -1;
        int level = 0, i = from;
        while (true)
        {
            var words = _levels[level];
            int w = i >> 6;
            if (w >= words.Length) return -1;
            ulong bits = words[w] & (~0UL << (i & 63));
            if (bits != 0)
            {
                i = (w << 6) + BitOperations.TrailingZeroCount(bits);
                break;
            }
            if (++level == _levels.Length) return -1;
            i = w + 1;   // the next word of this level is that bit of the level above
        }
        while (level > 0)
        {
            level--;
            i = (i << 6) + BitOperations.TrailingZeroCount(_levels[level][i]);
        }
        return i;
    }
}
