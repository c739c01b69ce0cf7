namespace ExitSim.Simulation;

/// <summary>A FIFO of ints on a ring that doubles when full: run queues, pending interrupts, device rings. Allocates only while growing.</summary>
internal sealed class IntRing
{
    private int[] _items = new int[8];
    private int _head;

    public int Count { get; private set; }

    public void Enqueue(int value)
    {
        if (Count == _items.Length)
        {
            var bigger = new int[_items.Length * 2];
            for (int i = 0; i < Count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
            _items = bigger;
            _head = 0;
        }
        _items[(_head + Count) & (_items.Length - 1)] = value;
        Count++;
    }

    public int Dequeue()
    {
        int v = _items[_head];
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return v;
    }

    public int this[int i] => _items[(_head + i) & (_items.Length - 1)];
}
