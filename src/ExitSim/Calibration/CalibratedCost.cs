namespace ExitSim.Calibration;

/// <summary>What calibration charges an exit of one <see cref="PathRow"/> in KVM, with how it was chosen.</summary>
internal sealed record CalibratedCost(Distributions.Distribution Handle, string Family, string Parameters, double? Ks, string Note);
