namespace ExitSim.Calibration;

/// <summary>Where an exit was handled, when the source shows it.</summary>
public enum ExitPath
{
    /// <summary>Handled in KVM and re-entered without leaving the kernel.</summary>
    Kernel,

    /// <summary>Returned to the VMM (a <c>kvm_userspace_exit</c> between exit and entry, or a counter of userspace exits).</summary>
    Userspace,
}
