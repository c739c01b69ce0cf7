using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

/// <summary>Runs real guests; skipped (with TryOpen's reason) where /dev/kvm cannot be used.</summary>
[Collection(KvmCollection.Name)]
[Trait(KvmCollection.Trait, KvmCollection.TraitValue)]
public sealed class KvmProbeTests
{
    [SkippableFact]
    public void Exit_loop_exits_to_userspace_once_per_out_then_on_the_done_port()
    {
        using var kvm = KvmCollection.OpenOrSkip();
        using var vm = kvm.CreateVm();
        vm.Load(GuestPrograms.ExitLoop(LoopExit.UserspacePio, 3));
        var exits = new List<VmExit>();
        for (int i = 0; i < 10; i++)
        {
            var e = vm.RunOnce();
            if (e.Reason == KvmAbi.ExitIntr) continue;
            exits.Add(e);
            if (e.Reason == KvmAbi.ExitHlt) break;
        }
        Assert.Equal(5, exits.Count);
        Assert.All(exits.Take(3), e => Assert.Equal((KvmAbi.ExitIo, GuestPrograms.UserspacePort, KvmAbi.ExitIoOut), (e.Reason, e.Port, e.IoDirection)));
        Assert.Equal((KvmAbi.ExitIo, GuestPrograms.DonePort), (exits[3].Reason, exits[3].Port));
        Assert.Equal(KvmAbi.ExitHlt, exits[4].Reason);
        Assert.Equal(26UL, vm.GetRegs().Rip); // just after the hlt at offset 25
    }

    [SkippableFact]
    public void Mmio_loop_exits_with_the_unmapped_address()
    {
        using var kvm = KvmCollection.OpenOrSkip();
        using var vm = kvm.CreateVm();
        vm.Load(GuestPrograms.ExitLoop(LoopExit.UserspaceMmio, 2));
        var e = vm.RunOnce();
        Assert.Equal(KvmAbi.ExitMmio, e.Reason);
        Assert.Equal(GuestPrograms.UserspaceMmioAddress, e.MmioAddress);
        Assert.True(e.MmioWrite);
    }

    [SkippableFact]
    public void Quick_probe_gives_sane_numbers()
    {
        using (KvmCollection.OpenOrSkip()) { }
        var profile = ProbeRunner.Run(quick: true);
        foreach (var p in profile.Paths)
        {
            Assert.True(p.MedianNs > 0 && p.MedianNs < 1e6, $"{p.Name}: {p.MedianNs}ns");
            Assert.True(p.P10Ns <= p.MedianNs && p.MedianNs <= p.P90Ns, p.Name);
            // Net of the loop: the loop alone is cheaper than the loop with its exit (it may time as 0
            // where it is below the timer's noise, e.g. under QEMU TCG, whose translated loop takes ns).
            Assert.True(p.LoopNs >= 0 && p.LoopNs < p.WithExitNs, $"{p.Name}: loop {p.LoopNs}ns, with exit {p.WithExitNs}ns");
            Assert.True(p.Repetitions * p.RunsPerRepetition > 0 && p.Iterations >= 16, p.Name);
        }
        Assert.Equal(ProbeOptions.Quick.BudgetSeconds, profile.BudgetSeconds);
        Assert.True(profile.ElapsedSeconds > 0);
        var user = profile.Path(ProbePaths.UserspacePio)!;
        var kernel = profile.Path(ProbePaths.IoEventFdPio);
        if (kernel is not null) Assert.True(kernel.MedianNs < user.MedianNs, "an ioeventfd write must be cheaper than a userspace exit");
        Assert.True(profile.GuestSpeedRatio > 0);
        Assert.All(profile.StatsChecks.Where(c => c.Counter.StartsWith("ioeventfd", StringComparison.Ordinal)), c => Assert.True(c.Ok, c.ToString()));
        Assert.Contains("host_profile:", HostProfileWriter.Write(profile));
    }

    [SkippableFact]
    public void Run_without_kvm_throws_the_reason()
    {
        Skip.If(File.Exists(KvmHost.DevicePath), "this machine has /dev/kvm");
        var e = Assert.Throws<KvmUnavailableException>(() => ProbeRunner.Run(quick: true));
        Assert.Equal(KvmHost.AbsentReason, e.Message);
    }
}
