namespace ExitSim.Running;

/// <summary>
/// Progress over a list of steps of unequal size (each weighted by its expected work), for a command that runs
/// several simulations one after another: <c>reproduce</c>, the two arms of <c>compare</c>, the arms of
/// <c>explain</c>. A runner that learns its steps only once it has looked at its input gives them to
/// <see cref="Plan"/>; until then the progress is 0.
/// </summary>
public sealed class StepProgress
{
    /// <summary>The steps, the step under way (-1 before the first), the weight of the steps before it, and its own
    /// progress: replaced whole, read from the drawing thread.</summary>
    private sealed record State(IReadOnlyList<(string Label, double Weight)> Steps, double Total, int Index, double DoneWeight, RunProgress? Progress);

    private volatile State _state = new([], 1, -1, 0, null);

    public StepProgress() { }

    public StepProgress(IReadOnlyList<(string Label, double Weight)> steps) => Plan(steps);

    /// <summary>The steps to come; progress starts again from none of them done.</summary>
    public void Plan(IReadOnlyList<(string Label, double Weight)> steps) =>
        _state = new State(steps, Math.Max(steps.Sum(s => s.Weight), double.Epsilon), -1, 0, null);

    /// <summary>Starts the next step; the returned progress has <paramref name="slots"/> parts (replications, jobs).</summary>
    public RunProgress Next(int slots)
    {
        var s = _state;
        double done = s.Index < 0 ? 0 : s.DoneWeight + Weight(s, s.Index);
        var progress = new RunProgress(Math.Max(slots, 1));
        _state = s with { Index = s.Index + 1, DoneWeight = done, Progress = progress };
        return progress;
    }

    /// <summary>How many steps have been started.</summary>
    public int Started => _state.Index + 1;

    public double Fraction
    {
        get
        {
            var s = _state;
            if (s.Index < 0) return 0;
            if (s.Index >= s.Steps.Count) return 1;
            return (s.DoneWeight + s.Steps[s.Index].Weight * s.Progress!.Fraction) / s.Total;
        }
    }

    /// <summary>"database (3/19)"; empty before the first step.</summary>
    public string Label => _state is { Index: >= 0 } s && s.Index < s.Steps.Count ? $"{s.Steps[s.Index].Label} ({s.Index + 1}/{s.Steps.Count})" : "";

    private static double Weight(State s, int index) => index < s.Steps.Count ? s.Steps[index].Weight : 0;
}
