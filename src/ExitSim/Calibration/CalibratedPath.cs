using ExitSim.Scenarios;

namespace ExitSim.Calibration;

/// <summary>One calibrated (reason, path): its rate per vCPU on its clock, its cost, and the comment for the rate.</summary>
internal sealed record CalibratedPath(PathRow Row, double Rate, OccurrenceClock Clock, CalibratedCost Cost, string RateNote);
