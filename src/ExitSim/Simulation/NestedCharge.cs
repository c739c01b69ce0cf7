using ExitSim.Distributions;
using ExitSim.Randomness;
using ExitSim.Scenarios;

namespace ExitSim.Simulation;

/// <summary>
/// What nesting adds to an L2 exit that L1 handles (arch/x86/kvm/vmx/nested.c; the Turtles paper,
/// Ben-Yehuda et al., OSDI'10): after the L0 exit's save, L0 emulates a VM exit into L1
/// (nested_vmx_vmexit) and enters L1; L1's handler runs as a guest, and each of its privileged operations
/// that L0 intercepts is an exit to L0 (a VMREAD/VMWRITE of a field not shadowed, an MSR access …);
/// a userspace exit also takes L1's QEMU round trip, with its own exits to L0 (user-return MSR writes, and
/// the DEBUGCTL read, DR6 write and, without UMIP in the CPU, SLDT/LGDT of L1's vcpu_load/vcpu_put); last, L1's VMRESUME exits to
/// L0, which emulates it (nested_vmx_run, prepare_vmcs02) before the site's reenter into L2. Each L1 exit
/// costs the scenario's default save + handle + reenter (an exit L0 handles in the kernel); draws come from
/// the site's own cost stream after the site's phases, so a run without nesting draws the same numbers.
/// </summary>
public sealed class NestedCharge
{
    private readonly Sampler _vmexit, _vmentry, _save, _handle, _reenter;
    /// <summary>L1 exits before L1 returns to L2 (VMRESUME not included), kernel path and userspace path.</summary>
    public int KernelL1Exits { get; }
    public int UserspaceL1Exits { get; }

    public NestedCharge(NestedSpec n, Scenario s, double ghz)
    {
        _vmexit = n.Vmexit.ToSampler(ghz);
        _vmentry = n.Vmentry.ToSampler(ghz);
        _save = s.Costs.Save!.ToSampler(ghz);
        _handle = s.Costs.Handle!.ToSampler(ghz);
        _reenter = s.Costs.Reenter!.ToSampler(ghz);
        KernelL1Exits = n.VmcsExits + n.L1Exits;
        // A userspace exit returns from L1's KVM_RUN and calls it again: the user-return MSRs and L1's
        // vcpu_put/vcpu_load (kvm_arch_vcpu_put, vmx_vcpu_load) each add exits an in-kernel exit does not take.
        UserspaceL1Exits = KernelL1Exits + n.UserspaceExits + n.VcpuReloadExits;
    }

    /// <summary>
    /// Added to the handle phase: L0's emulated VM exit, the entry into L1 (a reenter) and L1's exits before
    /// its VMRESUME. L1's own handler is the site's handle phase: the same KVM code, run at L1.
    /// </summary>
    public double IntoL1(RandomStream rng, bool userspace)
    {
        double t = _vmexit.Sample(rng) + _reenter.Sample(rng);
        int exits = userspace ? UserspaceL1Exits : KernelL1Exits;
        for (int i = 0; i < exits; i++) t += _save.Sample(rng) + _handle.Sample(rng) + _reenter.Sample(rng);
        return t;
    }

    /// <summary>Added to the reenter phase: L1's VMRESUME exits to L0 (a save), which emulates it before entering L2.</summary>
    public double Vmresume(RandomStream rng) => _save.Sample(rng) + _vmentry.Sample(rng);
}
