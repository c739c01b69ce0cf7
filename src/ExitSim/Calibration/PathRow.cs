using ExitSim.Calibration.Fitting;
using ExitSim.Model;

namespace ExitSim.Calibration;

/// <summary>
/// One exit reason on one path as calibration uses it: the measured row, the measurement it came from, its fit, and the
/// path (the measured one, or where KVM usually handles the reason when the source does not say).
/// </summary>
internal sealed record PathRow(ReasonMeasurement Reason, Measurement From, ReasonFit Fit, ExitReason Info, ExitPath Path)
{
    /// <summary><c>file:line</c> of the row, for the comments of the written scenario.</summary>
    public string Source => $"{System.IO.Path.GetFileName(From.SourcePath)}:{Reason.SourceLine}";

    /// <summary>Interrupts and timers arrive in real time; the rest is caused by guest execution.</summary>
    public bool IsWallClock => Info.Category is ExitCategory.Interrupt or ExitCategory.Timer;

    /// <summary>Exits per second over all vCPUs (checked to be known before rows are used).</summary>
    public double TotalRate => Fit.Rate.PerSecond!.Value;

    public string PathName => Path == ExitPath.Kernel ? "kernel" : "userspace";
}

