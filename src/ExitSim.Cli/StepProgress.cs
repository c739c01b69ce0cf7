using ExitSim.Running;

namespace ExitSim.Cli;

/// <summary>
/// Progress over a fixed list of steps of unequal size (each weighted by its expected work), for a
/// command that runs several simulations one after another: <c>reproduce</c>.
/// </summary>
public sealed class StepProgress(IReadOnlyList<(string Label, double Weight)> steps)
{
    /// <summary>The step under way, the weight of the steps before it, and its own progress: replaced whole, read from the drawing thread.</summary>
    private sealed record State(int Index, double DoneWeight, RunProgress Progress);

    private readonly double _total = Math.Max(steps.Sum(s => s.Weight), double.Epsilon);
    private volatile State? _state;

    /// <summary>Starts the next step; the returned progress has <paramref name="slots"/> parts (replications, jobs).</summary>
    public RunProgress Next(int slots)
    {
        var s = _state;
        int index = s is null ? 0 : s.Index + 1;
        double done = s is null ? 0 : s.DoneWeight + steps[s.Index].Weight;
        var progress = new RunProgress(Math.Max(slots, 1));
        _state = new State(index, done, progress);
        return progress;
    }

    /// <summary>How many steps have been started.</summary>
    public int Started => _state is { } s ? s.Index + 1 : 0;

    public double Fraction => _state is { } s && s.Index < steps.Count
        ? (s.DoneWeight + steps[s.Index].Weight * s.Progress.Fraction) / _total
        : _state is null ? 0 : 1;

    /// <summary>"reproduce: database (3/19)".</summary>
    public string Label => _state is { } s && s.Index < steps.Count ? $"{steps[s.Index].Label} ({s.Index + 1}/{steps.Count})" : "";
}
