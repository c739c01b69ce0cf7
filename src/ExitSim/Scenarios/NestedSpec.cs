using ExitSim.Distributions;
using ExitSim.Units;

namespace ExitSim.Scenarios;

/// <summary>
/// Nested virtualisation (<c>host.nested</c>): the simulated VM is an L2 guest of an L1 KVM that itself runs
/// as a guest of the host's (L0) KVM. An L2 exit that L1 must handle costs the L0 exit, L0's emulated VM exit
/// into L1 (<see cref="Vmexit"/>), L1's handler with its own exits to L0, and L0's emulation of L1's
/// VMRESUME (<see cref="Vmentry"/>): arch/x86/kvm/vmx/nested.c nested_vmx_reflect_vmexit, nested_vmx_vmexit,
/// nested_vmx_run/prepare_vmcs02. With <see cref="L1"/> = none the VM runs on L0 and the costs are unused
/// (a shared parameter set states them once for the cases that turn nesting on).
/// </summary>
public sealed record NestedSpec
{
    /// <summary>The L1 hypervisor: "kvm", or "none" (not nested).</summary>
    public string L1 { get; init; } = None;
    public const string None = "none";
    public const string Kvm = "kvm";
    public bool Enabled => L1 != None;

    /// <summary>VMCS shadowing (kvm_intel enable_shadow_vmcs, on by default where the CPU has it): L1's VMREAD/VMWRITE of shadowed fields do not exit.</summary>
    public bool ShadowVmcs { get; init; } = true;
    /// <summary>L0's emulated VM exit into L1 (nested_vmx_vmexit: vmcs02 → vmcs12 sync, L1's host state, switch to vmcs01).</summary>
    public Distribution Vmexit { get; init; } = new ConstantDistribution(Quantity.Cycles(DefaultVmexitCycles));
    /// <summary>L0's emulation of L1's VMRESUME (handle_vmresume → nested_vmx_run → prepare_vmcs02, switch to vmcs02).</summary>
    public Distribution Vmentry { get; init; } = new ConstantDistribution(Quantity.Cycles(DefaultVmentryCycles));
    /// <summary>VMREADs and VMWRITEs L1 KVM's exit handling does per exit; each exits to L0 only without VMCS shadowing.</summary>
    public int Vmreads { get; init; } = DefaultVmreads;
    public int Vmwrites { get; init; } = DefaultVmwrites;
    /// <summary>L1's other exits to L0 per reflected exit (MSR accesses, XSETBV … of its entry/exit path).</summary>
    public int L1Exits { get; init; }
    /// <summary>L1's exits to L0 during its QEMU round trip (a userspace exit: KVM_RUN returns to L1's QEMU and is called again).</summary>
    public int UserspaceExits { get; init; } = DefaultUserspaceExits;
    /// <summary>
    /// L1's exits to L0 from its vcpu_put/vcpu_load around that round trip: the RDMSR of IA32_DEBUGCTL in vmx_vcpu_load,
    /// and until 2021 (Lai Jiangshan, "KVM: VMX: Reset DR6 only when KVM_DEBUGREG_WONT_EXIT") the MOV to DR6 at the
    /// end of kvm_arch_vcpu_put. L0 intercepts both (DEBUGCTL is not in vmx_possible_passthrough_msrs; MOV-DR
    /// exiting is re-armed by vmx_sync_dirty_debug_regs after each of L1's exits). On a CPU without UMIP, L0
    /// emulates UMIP for an L1 with CR4.UMIP on by descriptor-table exiting (vmx_set_cr4), so the SLDT of
    /// vmx_prepare_switch_to_guest and the LGDT of vmx_prepare_switch_to_host exit too. Each is one exit per round trip.
    /// </summary>
    public int VcpuReloadExits { get; init; } = DefaultVcpuReloadExits;

    public const double DefaultVmexitCycles = 3000, DefaultVmentryCycles = 4000;
    public const int DefaultVmreads = 8, DefaultVmwrites = 4, DefaultUserspaceExits = 10, DefaultVcpuReloadExits = 1;

    /// <summary>L1's VMREAD/VMWRITE exits per reflected exit: none of the handler's fields exit with shadowing.</summary>
    public int VmcsExits => ShadowVmcs ? 0 : Vmreads + Vmwrites;
}
