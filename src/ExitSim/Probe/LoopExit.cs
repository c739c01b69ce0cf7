namespace ExitSim.Probe;

/// <summary>The exit instruction in the body of a probe loop (<see cref="GuestPrograms.ExitLoop"/>).</summary>
public enum LoopExit : byte
{
    /// <summary>No exit: the same loop without it, whose time is subtracted.</summary>
    None,
    /// <summary><c>out</c> to a port no device claims: KVM_EXIT_IO to userspace.</summary>
    UserspacePio,
    /// <summary>A write to unmapped guest-physical memory: KVM_EXIT_MMIO to userspace.</summary>
    UserspaceMmio,
    /// <summary><c>out</c> to a port registered with KVM_IOEVENTFD: handled in the kernel.</summary>
    IoEventFdPio,
    /// <summary>A write to an MMIO address registered with KVM_IOEVENTFD: handled in the kernel.</summary>
    IoEventFdMmio,
    /// <summary><c>hlt</c> with no in-kernel irqchip: KVM_EXIT_HLT to userspace.</summary>
    Hlt,
}
