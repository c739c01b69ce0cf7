namespace ExitSim.Model;

/// <summary>Where an exit is handled: in KVM (re-entered from the kernel) or forwarded to QEMU in userspace.</summary>
public enum ExitPath : byte { Kernel, Userspace }
