using ExitSim.Randomness;

namespace ExitSim.Simulation;

/// <summary>
/// The application operations in flight, as parallel arrays indexed by operation id (a closed workload's
/// client, or a recycled slot of an open one). Grows by doubling, so steady state allocates nothing.
/// </summary>
internal sealed class OperationTable
{
    public int[] Home = [];
    public double[] Arrival = [], SegmentTime = [], IssuedAt = [];
    /// <summary>Compute segments left; a disk request separates two segments.</summary>
    public int[] SegmentsLeft = [];
    public int[] Queue = [];
    /// <summary>Arrived and not finished yet.</summary>
    public bool[] InFlight = [];
    public RandomStream[] Rng = [], DeviceRng = [];
    private readonly IntRing _free = new();
    public int Count { get; private set; }

    public int Add(int home, RandomStream rng, RandomStream deviceRng)
    {
        int id;
        if (_free.Count > 0) id = _free.Dequeue();
        else
        {
            id = Count++;
            if (id == Home.Length) Grow(Math.Max(16, Home.Length * 2));
        }
        Home[id] = home;
        Rng[id] = rng;
        DeviceRng[id] = deviceRng;
        return id;
    }

    public void Free(int id) => _free.Enqueue(id);

    private void Grow(int n)
    {
        Array.Resize(ref Home, n);
        Array.Resize(ref Arrival, n);
        Array.Resize(ref SegmentTime, n);
        Array.Resize(ref IssuedAt, n);
        Array.Resize(ref SegmentsLeft, n);
        Array.Resize(ref Queue, n);
        Array.Resize(ref InFlight, n);
        Array.Resize(ref Rng, n);
        Array.Resize(ref DeviceRng, n);
    }
}
