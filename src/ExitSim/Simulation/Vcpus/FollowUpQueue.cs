namespace ExitSim.Simulation.Vcpus;

/// <summary>
/// Exits that fire one after another at re-entry with no guest time between: the timer re-arm after a tick,
/// a device's register accesses, a virtio notify, an EOI, an IPI's ICR write, HLT. Each has an action to take
/// once KVM or QEMU has handled it. A ring that doubles when full: allocates only while growing.
/// </summary>
internal sealed class FollowUpQueue
{
    /// <summary>Past this many pending, the follow-ups of further wall-clock causes are coalesced into those.</summary>
    public const int WallClockLimit = 8;

    private FollowUp[] _items = new FollowUp[8];
    private int _head;

    public int Count { get; private set; }

    public void Push(int site, ExitAction action = ExitAction.None, int arg = 0)
    {
        if (Count == _items.Length)
        {
            var bigger = new FollowUp[_items.Length * 2];
            for (int i = 0; i < Count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
            _items = bigger;
            _head = 0;
        }
        _items[(_head + Count) & (_items.Length - 1)] = new FollowUp(site, action, arg);
        Count++;
    }

    /// <summary>Puts an exit ahead of those pending: it fires first at re-entry.</summary>
    public void PushFront(int site, ExitAction action = ExitAction.None, int arg = 0)
    {
        Push(site, action, arg);   // makes room
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = _items[(_head + Count) & (_items.Length - 1)];
    }

    /// <summary>Whether an exit at <paramref name="site"/> is pending.</summary>
    public bool Contains(int site)
    {
        for (int i = 0; i < Count; i++)
            if (_items[(_head + i) & (_items.Length - 1)].Site == site) return true;
        return false;
    }

    public FollowUp Pop()
    {
        var f = _items[_head];
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return f;
    }
}

internal readonly record struct FollowUp(int Site, ExitAction Action, int Arg);
