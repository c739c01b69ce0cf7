namespace ExitSim.Calibration;

/// <summary>
/// Exits whose measured exit→entry time is mostly the time the vCPU was halted (blocked or polling: kvm_vcpu_halt in
/// virt/kvm/kvm_main.c runs between the two tracepoints), not the cost of handling the exit. Calibration keeps that time
/// as HLT's own, to model idle time, never as the cost of other exits (docs/calibration.md).
/// </summary>
public static class IdleExitReasons
{
    public static bool IsIdle(string reasonName) => reasonName is "HLT" or "hlt" or "idle-halt";
}
