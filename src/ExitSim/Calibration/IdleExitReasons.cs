namespace ExitSim.Calibration;

/// <summary>
/// Exits whose measured exit→entry time is the time the vCPU was halted (blocked or polling), not the cost
/// of handling the exit (docs/kvm-facts.md §1.1, §5.2). Calibration must never turn that time into a cost distribution.
/// </summary>
public static class IdleExitReasons
{
    public static bool IsIdle(string reasonName) => reasonName is "HLT" or "hlt" or "idle-halt";
}
