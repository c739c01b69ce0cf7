using System.Runtime.InteropServices;

namespace ExitSim.Probe;

/// <summary>Raised when a KVM call fails; the message names the call and the errno text.</summary>
public sealed class KvmException(string message) : Exception(message);

/// <summary>
/// An open <c>/dev/kvm</c> (system fd). Obtain it with <see cref="TryOpen"/>, which explains in one
/// line why KVM cannot be used when it returns null.
/// </summary>
public sealed class KvmHost : IDisposable
{
    public const string DevicePath = "/dev/kvm";

    public const string AbsentReason =
        "no /dev/kvm: this machine has no KVM (no vmx/svm CPU flag, or the kvm module is not loaded; " +
        "docs/probe.md, 'Where there is no /dev/kvm', has an emulated machine with one)";

    private int _fd;

    private KvmHost(int fd, int apiVersion)
    {
        _fd = fd;
        ApiVersion = apiVersion;
    }

    public int Fd => _fd >= 0 ? _fd : throw new ObjectDisposedException(nameof(KvmHost));
    public int ApiVersion { get; }

    /// <summary>Opens /dev/kvm and checks KVM_GET_API_VERSION; null with a one-line reason if KVM cannot be used.</summary>
    public static KvmHost? TryOpen(out string reason) => TryOpen(DevicePath, out reason);

    public static KvmHost? TryOpen(string path, out string reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            reason = "KVM needs Linux (this is " + RuntimeInformation.OSDescription + ")";
            return null;
        }
        if (!File.Exists(path))
        {
            reason = path == DevicePath ? AbsentReason : $"no {path}";
            return null;
        }
        int fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            reason = OpenFailureReason(path, Marshal.GetLastPInvokeError());
            return null;
        }
        int version = Libc.Ioctl(fd, KvmAbi.GetApiVersion, 0UL);
        if (version != KvmAbi.ApiVersion)
        {
            int errno = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            reason = ApiVersionReason(version, errno);
            return null;
        }
        reason = "";
        return new KvmHost(fd, version);
    }

    /// <summary>The reason for a failed <c>open("/dev/kvm")</c> (pure, for tests).</summary>
    public static string OpenFailureReason(string path, int errno) => errno switch
    {
        Libc.EACCES or Libc.EPERM =>
            $"permission denied on {path}: add your user to the kvm group (sudo usermod -aG kvm $USER, then log in again)",
        Libc.ENOENT or Libc.ENXIO or Libc.ENODEV =>
            $"{path} exists but no KVM driver answers: the kvm module is not loaded (no vmx/svm CPU flag?)",
        _ => $"cannot open {path}: {Libc.ErrorText(errno)} (errno {errno})",
    };

    /// <summary>The reason for an unusable KVM_GET_API_VERSION answer (pure, for tests).</summary>
    public static string ApiVersionReason(int version, int errno) => version < 0
        ? $"KVM_GET_API_VERSION failed: {Libc.ErrorText(errno)} (errno {errno})"
        : $"KVM API version {version}, expected {KvmAbi.ApiVersion}: this kernel's KVM is not supported";

    /// <summary>KVM_CHECK_EXTENSION on the system fd: 0 when absent, otherwise the capability's value.</summary>
    public int CheckExtension(int capability)
    {
        int r = Libc.Ioctl(Fd, KvmAbi.CheckExtension, (ulong)capability);
        return r < 0 ? 0 : r;
    }

    /// <summary>KVM_GET_VCPU_MMAP_SIZE: bytes to mmap from a vCPU fd (kvm_run plus the PIO data page…).</summary>
    public int VcpuMmapSize() => Check(Libc.Ioctl(Fd, KvmAbi.GetVcpuMmapSize, 0UL), "KVM_GET_VCPU_MMAP_SIZE");

    /// <summary>Creates a tiny VM (64 KiB of RAM at GPA 0, one vCPU in real mode).</summary>
    public ProbeVm CreateVm() => new(this);

    internal static int Check(int result, string what)
    {
        if (result >= 0) return result;
        int errno = Marshal.GetLastPInvokeError();
        throw new KvmException($"{what} failed: {Libc.ErrorText(errno)} (errno {errno})");
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.Close(_fd);
        _fd = -1;
    }
}
