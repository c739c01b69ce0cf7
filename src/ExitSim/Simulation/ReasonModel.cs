using ExitSim.Distributions;
using ExitSim.Model;

namespace ExitSim.Simulation;

/// <summary>
/// One exit reason compiled for the hot path: its path and phase samplers (ns). The samplers are
/// fields, not properties, so sampling works on them in place instead of on a copy.
/// </summary>
public sealed class ReasonModel
{
    public required string Name { get; init; }
    public required int Code { get; init; }
    public required ExitCategory Category { get; init; }
    public required ExitPath Path { get; init; }
    public required Sampler Save;
    public required Sampler Handle;
    public required Sampler Emulate;
    public required Sampler Reenter;
    /// <summary>Mean cost per phase (analytic), for offered-load estimates and reports.</summary>
    public required double MeanSave { get; init; }
    public required double MeanHandle { get; init; }
    public required double MeanEmulate { get; init; }
    public required double MeanReenter { get; init; }
}
