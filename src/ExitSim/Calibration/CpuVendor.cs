namespace ExitSim.Calibration;

/// <summary>Host CPU vendor as far as it can be told from exit-reason names (VMX upper case, SVM lower case).</summary>
public enum CpuVendor
{
    Intel,
    Amd,
}
