using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ExitSim.Engine;

/// <summary>
/// The future event list: an array-backed 4-ary min-heap ordered by time, then by insertion order,
/// so simultaneous events are processed first-scheduled-first (deterministic tie-breaking).
/// Grows by doubling and never shrinks: after warm-up no operation allocates.
/// <see cref="Take"/> leaves the taken event's root slot free until the next operation; when that
/// operation schedules a new event (an entity planning its next step, the common case), the new
/// event goes straight into the root with one sift-down instead of a removal plus an insertion.
/// Since events are totally ordered by (time, sequence), the order of events is the same either way.
/// The keys are kept apart from the payload, times padded with +∞ past the last event, so the four
/// children of a node are four adjacent doubles: the earliest is found with one vector comparison
/// instead of three branches a predictor cannot guess.
/// </summary>
public sealed class EventQueue
{
    private double[] _time;
    private long[] _sequenceOf;
    private Payload[] _payload;
    private int _count;
    private long _sequence;
    private bool _rootFree;

    private readonly record struct Payload(int Kind, int Target, int Stamp);

    public EventQueue(int capacity = 64)
    {
        int n = Math.Max(4, capacity) + 4;   // room to read four children past the last event
        _time = new double[n];
        _time.AsSpan().Fill(double.PositiveInfinity);
        _sequenceOf = new long[n];
        _payload = new Payload[n];
    }

    public int Count => _rootFree ? _count - 1 : _count;

    public void Schedule(double time, int kind, int target, int stamp = 0)
    {
        long sequence = _sequence++;
        var payload = new Payload(kind, target, stamp);
        if (_rootFree)
        {
            _rootFree = false;
            SiftDown(time, sequence, payload);
            return;
        }
        if (_count + 4 == _time.Length) Grow();
        int i = _count++;
        // Sift up.
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            if (!Before(time, sequence, _time[parent], _sequenceOf[parent])) break;
            Move(parent, i);
            i = parent;
        }
        Put(i, time, sequence, payload);
    }

    public Event Peek()
    {
        Settle();
        return At(0);
    }

    public Event Dequeue()
    {
        var top = Take();
        Settle();
        return top;
    }

    /// <summary>Removes and returns the earliest event, leaving its slot for the next <see cref="Schedule"/>.</summary>
    public Event Take()
    {
        Settle();
        _rootFree = true;
        return At(0);
    }

    /// <summary>
    /// Takes the earliest event if it is due before <paramref name="end"/> (as <see cref="Take"/>, leaving its slot for
    /// the next <see cref="Schedule"/>); false, taking nothing, when the queue is empty or the next event is not due.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTakeBefore(double end, out Event e)
    {
        Settle();
        if (_count == 0 || !(_time[0] < end))
        {
            e = default;
            return false;
        }
        _rootFree = true;
        e = At(0);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Event At(int i)
    {
        var p = _payload[i];
        return new Event(_time[i], _sequenceOf[i], p.Kind, p.Target, p.Stamp);
    }

    /// <summary>Completes a pending removal: the last event fills the root and sinks to its place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Settle()
    {
        if (_rootFree) FillRoot();
    }

    private void FillRoot()
    {
        _rootFree = false;
        int last = --_count;
        double time = _time[last];
        long sequence = _sequenceOf[last];
        var payload = _payload[last];
        _time[last] = double.PositiveInfinity;
        if (last > 0) SiftDown(time, sequence, payload);
    }

    private void SiftDown(double time, long sequence, Payload payload)
    {
        ref double times = ref MemoryMarshal.GetArrayDataReference(_time);
        int i = 0, n = _count;
        while (true)
        {
            int first = (i << 2) + 1;
            if (first >= n) break;
            int best = EarliestChild(ref times, first);
            double t = Unsafe.Add(ref times, best);
            if (!Before(t, _sequenceOf[best], time, sequence)) break;
            Move(best, i);
            i = best;
        }
        Put(i, time, sequence, payload);
    }

    /// <summary>The earliest of the four children from <paramref name="first"/> (absent ones are +∞, never chosen over an event).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EarliestChild(ref double times, int first)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.LoadUnsafe(ref times, (nuint)first);
            var m = Vector256.MinNative(v, Vector256.Shuffle(v, Vector256.Create(1L, 0, 3, 2)));
            m = Vector256.MinNative(m, Vector256.Shuffle(m, Vector256.Create(2L, 3, 0, 1)));
            uint earliest = Vector256.Equals(v, m).ExtractMostSignificantBits();
            if ((earliest & (earliest - 1)) == 0) return first + BitOperations.TrailingZeroCount(earliest);
            return FirstScheduled(first, earliest);   // equal times: the first scheduled of them
        }
        int best = first;
        for (int c = first + 1; c < first + 4; c++)
            if (Before(Unsafe.Add(ref times, c), _sequenceOf[c], Unsafe.Add(ref times, best), _sequenceOf[best])) best = c;
        return best;
    }

    private int FirstScheduled(int first, uint lanes)
    {
        int best = -1;
        for (int c = 0; c < 4; c++)
            if ((lanes & (1u << c)) != 0 && (best < 0 || _sequenceOf[first + c] < _sequenceOf[best])) best = first + c;
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(double time, long sequence, double otherTime, long otherSequence) =>
        time < otherTime || (time == otherTime && sequence < otherSequence);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Move(int from, int to)
    {
        _time[to] = _time[from];
        _sequenceOf[to] = _sequenceOf[from];
        _payload[to] = _payload[from];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Put(int i, double time, long sequence, Payload payload)
    {
        _time[i] = time;
        _sequenceOf[i] = sequence;
        _payload[i] = payload;
    }

    private void Grow()
    {
        int old = _time.Length, n = old * 2;
        Array.Resize(ref _time, n);
        _time.AsSpan(old).Fill(double.PositiveInfinity);
        Array.Resize(ref _sequenceOf, n);
        Array.Resize(ref _payload, n);
    }

    public void Clear()
    {
        _rootFree = false;
        _count = 0;
        _sequence = 0;
        _time.AsSpan().Fill(double.PositiveInfinity);
    }
}
