using System.Runtime.CompilerServices;

namespace ExitSim.Engine;

/// <summary>
/// The future event list: an array-backed 4-ary min-heap ordered by time, then by insertion order,
/// so simultaneous events are processed first-scheduled-first (deterministic tie-breaking).
/// Grows by doubling and never shrinks: after warm-up no operation allocates.
/// <see cref="Take"/> leaves the taken event's root slot free until the next operation; when that
/// operation schedules a new event (an entity planning its next step, the common case), the new
/// event goes straight into the root with one sift-down instead of a removal plus an insertion.
/// Since events are totally ordered by (time, sequence), the order of events is the same either way.
/// </summary>
public sealed class EventQueue
{
    private Event[] _heap;
    private int _count;
    private long _sequence;
    private bool _rootFree;

    public EventQueue(int capacity = 64) => _heap = new Event[Math.Max(4, capacity)];

    public int Count => _rootFree ? _count - 1 : _count;

    public void Schedule(double time, int kind, int target, int stamp = 0)
    {
        var e = new Event(time, _sequence++, kind, target, stamp);
        if (_rootFree)
        {
            _rootFree = false;
            SiftDown(e);
            return;
        }
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        int i = _count++;
        // Sift up.
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            if (!Before(e, _heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = e;
    }

    public ref readonly Event Peek()
    {
        Settle();
        return ref _heap[0];
    }

    public Event Dequeue()
    {
        var top = Take();
        Settle();
        return top;
    }

    /// <summary>
    /// Takes the earliest event if it is due before <paramref name="end"/> (as <see cref="Take"/>, leaving its slot for
    /// the next <see cref="Schedule"/>); false, taking nothing, when the queue is empty or the next event is not due.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTakeBefore(double end, out Event e)
    {
        Settle();
        if (_count == 0 || !(_heap[0].Time < end))
        {
            e = default;
            return false;
        }
        _rootFree = true;
        e = _heap[0];
        return true;
    }

    /// <summary>Removes and returns the earliest event, leaving its slot for the next <see cref="Schedule"/>.</summary>
    public Event Take()
    {
        Settle();
        _rootFree = true;
        return _heap[0];
    }

    /// <summary>Completes a pending removal: the last event fills the root and sinks to its place.</summary>
    private void Settle()
    {
        if (!_rootFree) return;
        _rootFree = false;
        var last = _heap[--_count];
        if (_count > 0) SiftDown(last);
    }

    private void SiftDown(Event e)
    {
        int i = 0, n = _count;
        while (true)
        {
            int first = (i << 2) + 1;
            if (first >= n) break;
            int best = first;
            int end = Math.Min(first + 4, n);
            for (int c = first + 1; c < end; c++)
                if (Before(_heap[c], _heap[best])) best = c;
            if (!Before(_heap[best], e)) break;
            _heap[i] = _heap[best];
            i = best;
        }
        _heap[i] = e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Event a, in Event b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);

    public void Clear()
    {
        _rootFree = false;
        _count = 0;
        _sequence = 0;
    }
}
