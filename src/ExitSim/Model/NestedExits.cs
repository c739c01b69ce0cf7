namespace ExitSim.Model;

/// <summary>
/// Which L2 exits L0 keeps for itself instead of reflecting them into L1 (arch/x86/kvm/vmx/nested.c
/// nested_vmx_l0_wants_exit): a host interrupt, an EPT violation on L0's own tables (the first touch of
/// backing memory; one that misses in L1's EPT12 is injected into L1 as L1's own exit), a PML-full, VMFUNC,
/// a bus lock, a machine check at entry. Every other exit the VM takes is L1's to handle (L1 KVM runs its
/// guest with HLT, CPUID, I/O and its APIC accesses intercepted: nested_vmx_l1_wants_exit), and the timer
/// tick is L1's emulated timer for L2, delivered by L0 as an emulated exit into L1.
/// </summary>
public static class NestedExits
{
    private static readonly string[] KeptByL0 = ["EXTERNAL_INTERRUPT", "EPT_VIOLATION", "PML_FULL", "VMFUNC", "BUS_LOCK", "MCE_DURING_VMENTRY"];

    public static bool Reflected(string reason) => !KeptByL0.Contains(reason);
}
