using ExitSim.Model;

namespace ExitSim.Scenarios;

/// <summary>
/// Mechanisms meant for vCPUs on cores of their own (guest halt polling, KVM_CAP_X86_DISABLE_EXITS): an idle vCPU keeps
/// its core instead of giving it back, so they are refused on a host with fewer cores than threads to run.
/// </summary>
public static class DedicatedCores
{
    /// <summary>The host threads the model runs besides the vCPUs: QEMU main loops (or per-vCPU threads), IOThreads, vhost workers.</summary>
    public static int HostThreads(Scenario s)
    {
        int perVm = s.Vm.QemuThreads == QemuThreadMode.PerVm ? 1 : s.Vm.Vcpus;
        if (s.Workload is not null)
            foreach (var d in new[] { s.Devices.Disk, s.Devices.Nic })
            {
                if (d is null) continue;
                if (d.Dataplane == Dataplane.Iothread) perVm++;
                else if (d.Dataplane == Dataplane.Vhost) perVm += d.Queues;
            }
        return s.Vm.Count * perVm;
    }

    /// <summary>Why the scenario's host cannot give every vCPU and host thread its own core, or null when it can.</summary>
    public static string? Overcommitted(Scenario s)
    {
        int vcpus = s.Vm.Count * s.Vm.Vcpus, threads = HostThreads(s);
        return vcpus + threads > s.Host.Cores ? $"{vcpus} vCPUs and {threads} host threads on {s.Host.Cores} cores" : null;
    }

    /// <summary>What in the scenario needs dedicated cores, or null.</summary>
    public static string? Needing(Scenario s) =>
        s.Vm.GuestHaltPollNs > 0 ? "guest halt polling (vm.guest_halt_poll)" :
        s.Host.Features.Contains("disable-exits") ? "disable-exits" : null;

    /// <summary>The exit reason listed with an occurrence that disable-exits stops intercepting (HLT, PAUSE), or null.</summary>
    public static string? NotIntercepted(Scenario s)
    {
        if (!s.Host.Features.Contains("disable-exits")) return null;
        string hlt = MechanismReasons.For(s.Host.Vendor, MechanismReasons.Halt), pause = MechanismReasons.For(s.Host.Vendor, MechanismReasons.Pause);
        return s.Exits.FirstOrDefault(e => e.Occurs && (e.Reason == hlt || e.Reason == pause))?.Reason;
    }
}
