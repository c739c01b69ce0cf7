using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

/// <summary>What can be checked without KVM: the reasons, the libc bindings, the /proc parsing.</summary>
public sealed class KvmHostTests
{
    [SkippableFact]
    public void Without_dev_kvm_TryOpen_says_why_in_one_line()
    {
        Skip.If(File.Exists(KvmHost.DevicePath), "this machine has /dev/kvm");
        using var kvm = KvmHost.TryOpen(out string reason);
        Assert.Null(kvm);
        Assert.Equal(KvmHost.AbsentReason, reason);
        Assert.StartsWith("no /dev/kvm: ", reason);
        Assert.DoesNotContain('\n', reason);
    }

    [Fact]
    public void A_missing_device_path_is_reported()
    {
        using var kvm = KvmHost.TryOpen("/nonexistent/kvm", out string reason);
        Assert.Null(kvm);
        Assert.Equal("no /nonexistent/kvm", reason);
    }

    [Fact]
    public void A_device_that_is_not_kvm_fails_the_api_version_check()
    {
        // Really calls open + ioctl(KVM_GET_API_VERSION) + close through P/Invoke: /dev/null answers ENOTTY.
        using var kvm = KvmHost.TryOpen("/dev/null", out string reason);
        Assert.Null(kvm);
        Assert.StartsWith("KVM_GET_API_VERSION failed: ", reason);
        Assert.Contains("errno 25", reason); // ENOTTY
    }

    [Fact]
    public void Permission_denied_tells_the_user_about_the_kvm_group()
    {
        Assert.Contains("add your user to the kvm group", KvmHost.OpenFailureReason("/dev/kvm", 13));
        Assert.Contains("add your user to the kvm group", KvmHost.OpenFailureReason("/dev/kvm", 1));
        Assert.Contains("kvm module is not loaded", KvmHost.OpenFailureReason("/dev/kvm", 6));
        Assert.Contains("errno 5", KvmHost.OpenFailureReason("/dev/kvm", 5));
    }

    [Fact]
    public void A_wrong_api_version_is_named()
    {
        Assert.Equal("KVM API version 11, expected 12: this kernel's KVM is not supported", KvmHost.ApiVersionReason(11, 0));
    }

    [Fact]
    public void Libc_bindings_work_without_kvm()
    {
        Assert.Equal(Environment.ProcessId, Libc.GetPid());

        nint mem = Libc.Mmap(0, 65536, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
        Assert.NotEqual(Libc.MAP_FAILED, mem);
        System.Runtime.InteropServices.Marshal.WriteByte(mem, 65535, 0xF4);
        Assert.Equal(0xF4, System.Runtime.InteropServices.Marshal.ReadByte(mem, 65535));
        Assert.Equal(0, Libc.Munmap(mem, 65536));

        int efd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        Assert.True(efd >= 0);
        Assert.Equal(-1, Libc.ReadUInt64(efd, out _)); // empty non-blocking eventfd: EAGAIN
        Assert.Equal(Libc.EAGAIN, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        Assert.Equal(0, Libc.Close(efd));
    }

    private const string CpuInfo = """
        processor	: 0
        vendor_id	: GenuineIntel
        model name	: Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz
        flags		: fpu vme de pse tsc msr pae vmx ept hypervisor
        
        processor	: 1
        model name	: Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz
        flags		: fpu vme de pse tsc msr pae vmx ept hypervisor
        """;

    [Fact]
    public void Host_info_reads_model_and_flags()
    {
        var info = HostInfo.Parse("6.8.0-45-generic\n", CpuInfo);
        Assert.Equal("6.8.0-45-generic", info.Kernel);
        Assert.Equal("Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz", info.Cpu);
        Assert.True(info.HasVmx);
        Assert.False(info.HasSvm);
        Assert.True(info.RunsUnderHypervisor);
        Assert.Contains("nested", info.NestedHint);
    }

    [Fact]
    public void Host_info_without_virtualisation_flags()
    {
        var info = HostInfo.Parse("6.18.44", "model name : AMD EPYC\nflags : fpu sse2 hypervisor\n");
        Assert.False(info.HasVirtualizationFlag);
        Assert.Contains("KVM cannot run here", info.NestedHint);
        var bare = HostInfo.Parse("6.1", "model name : AMD EPYC\nflags : fpu svm\n", nestedAmd: "1");
        Assert.True(bare.HasSvm);
        Assert.Contains("nested virtualisation is enabled", bare.NestedHint);
    }

    [Fact]
    public void Host_info_of_this_machine_has_its_kernel_release()
    {
        var info = HostInfo.Read();
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), info.Kernel);
        Assert.False(string.IsNullOrWhiteSpace(info.Cpu));
        string expected = HostInfo.KvmModules.FirstOrDefault(m => Directory.Exists("/sys/module/" + m)) ?? "unknown";
        Assert.Equal(expected, info.KvmModule);
    }
}
