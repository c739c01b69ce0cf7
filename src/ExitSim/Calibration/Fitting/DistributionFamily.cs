namespace ExitSim.Calibration.Fitting;

/// <summary>Distribution families the fitter can return (lower-case names are the ones scenarios use).</summary>
public enum DistributionFamily
{
    Constant,
    Exponential,
    Lognormal,
    Gamma,
    Weibull,

    /// <summary>The observed samples themselves (drawn by inverse empirical CDF), when no family fits.</summary>
    Empirical,
}
