using ExitSim.Model;
using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>KVM_CAP_X86_DISABLE_EXITS for HLT, MWAIT and PAUSE, as QEMU's -overcommit cpu-pm=on asks for it.</summary>
public sealed class DisableExits : Optimisation
{
    public override string Name => "disable-exits";
    public override string Description =>
        "KVM_CAP_X86_DISABLE_EXITS (HLT, MWAIT, PAUSE not intercepted; QEMU -overcommit cpu-pm=on), meant for vCPUs on dedicated cores";
    public override string Mechanism =>
        "an idle vCPU's HLT no longer exits: the physical core halts in guest mode (C1) and an interrupt wakes it there, paying the " +
        "C-state's exit latency but no trip through the host scheduler; a posted interrupt reaches the halted guest without an exit, " +
        "and a waker still sends the reschedule IPI (the idle task clears its polling flag before HLT). No host halt polling (nothing to poll: " +
        "KVM never sees the halt). PAUSE is not intercepted: no pause-loop exits. The vCPU thread never sleeps, so its core is " +
        "never free: refused when the host is overcommitted. HLT or PAUSE exits a scenario gives as a rate stop happening";
    public override string Summary =>
        "HLT and PAUSE no longer exit: an idle vCPU halts its core in guest mode and is woken by the interrupt itself.";
    public override string Source =>
        "arch/x86/kvm/x86.c kvm_vm_ioctl_enable_cap (KVM_CAP_X86_DISABLE_EXITS); arch/x86/kvm/x86.h kvm_hlt_in_guest, kvm_pause_in_guest; " +
        "arch/x86/kvm/vmx/vmx.c vmx_exec_control (clears CPU_BASED_HLT_EXITING), vmx_secondary_exec_control (clears SECONDARY_EXEC_PAUSE_LOOP_EXITING); " +
        "QEMU target/i386/kvm/kvm.c kvm_arch_init (enable_cpu_pm: MWAIT | HLT | PAUSE | CSTATE)";

    /// <summary>
    /// Adds the feature; HLT and PAUSE exits the scenario gives as a rate (measured with the exits intercepted) stop
    /// happening: their reasons keep only their costs.
    /// </summary>
    public override Scenario Apply(Scenario s)
    {
        string hlt = MechanismReasons.For(s.Host.Vendor, MechanismReasons.Halt), pause = MechanismReasons.For(s.Host.Vendor, MechanismReasons.Pause);
        var exits = s.Exits.Select(e => e.Occurrence is not null && (e.Reason == hlt || e.Reason == pause) ? e with { Occurrence = null } : e).ToEquatableArray();
        return WithFeatures(s with { Exits = exits }, Name);
    }
}
