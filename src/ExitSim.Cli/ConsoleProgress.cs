using System.Diagnostics;
using ExitSim.Running;

namespace ExitSim.Cli;

/// <summary>A one-line progress bar with ETA on stderr, shown only when stderr is a terminal.</summary>
public sealed class ConsoleProgress : IDisposable
{
    private readonly Func<double> _fraction;
    private readonly Func<string> _label;
    private readonly Timer? _timer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private int _shownWidth;

    public ConsoleProgress(RunProgress progress, string label) : this(() => progress.Fraction, () => label) { }

    /// <param name="label">Read at every redraw, so a command of several steps can name the current one.</param>
    public ConsoleProgress(Func<double> fraction, Func<string> label)
    {
        _fraction = fraction;
        _label = label;
        if (!Console.IsErrorRedirected) _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(250));
    }

    private void Draw()
    {
        double f = Math.Clamp(_fraction(), 0, 1);
        int filled = (int)(f * 30);
        string eta = f > 0.01 ? $"ETA {TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds * (1 - f) / f):mm\\:ss}" : "";
        string line = $"{_label()} [{new string('#', filled)}{new string('.', 30 - filled)}] {f,4:P0} {eta}";
        lock (_gate)
        {
            // Pad over a longer line drawn before (the label may have shrunk).
            Console.Error.Write("\r" + line.PadRight(_shownWidth));
            _shownWidth = Math.Max(_shownWidth, line.Length);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            if (_shownWidth > 0) Console.Error.Write("\r" + new string(' ', _shownWidth) + "\r");
            _shownWidth = 0;
        }
    }
}
