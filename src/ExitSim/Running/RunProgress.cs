namespace ExitSim.Running;

/// <summary>
/// Progress of a run, written by the replications and read by whoever shows a progress bar.
/// Each replication writes only its own slot, so no locking is needed; readers see a recent value.
/// </summary>
public sealed class RunProgress(int replications)
{
    private readonly double[] _done = new double[replications];

    public void Report(int replication, double fraction) => Volatile.Write(ref _done[replication], fraction);

    public double Fraction => _done.Length == 0 ? 1 : _done.Sum() / _done.Length;
}
