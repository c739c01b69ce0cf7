using System.Diagnostics;
using ExitSim.Running;

namespace ExitSim.Cli;

/// <summary>A one-line progress bar with ETA on stderr, shown only when stderr is a terminal.</summary>
public sealed class ConsoleProgress : IDisposable
{
    private readonly RunProgress _progress;
    private readonly Timer? _timer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _label;
    private readonly object _gate = new();
    private bool _shown;

    public ConsoleProgress(RunProgress progress, string label)
    {
        _progress = progress;
        _label = label;
        if (!Console.IsErrorRedirected) _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(250));
    }

    private void Draw()
    {
        double f = Math.Clamp(_progress.Fraction, 0, 1);
        int filled = (int)(f * 30);
        string eta = f > 0.01 ? $"ETA {TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds * (1 - f) / f):mm\\:ss}" : "";
        lock (_gate)
        {
            Console.Error.Write($"\r{_label} [{new string('#', filled)}{new string('.', 30 - filled)}] {f,4:P0} {eta}   ");
            _shown = true;
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            if (_shown) Console.Error.Write("\r" + new string(' ', _label.Length + 50) + "\r");
        }
    }
}
