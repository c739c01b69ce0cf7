namespace ExitSim.Probe;

/// <summary>What the probe records about the host, read from /proc (works without KVM).</summary>
public sealed record HostInfo(string Kernel, string Cpu, bool HasVmx, bool HasSvm, bool RunsUnderHypervisor, string? NestedHint)
{
    /// <summary>The vendor module KVM runs on (kvm_intel, kvm_amd, …; "unknown" where none shows in /sys/module).</summary>
    public string KvmModule { get; init; } = "unknown";

    /// <summary>KVM's vendor modules in the order they are looked for under /sys/module.</summary>
    public static readonly string[] KvmModules = ["kvm_intel", "kvm_amd", "kvm_pvm"];

    /// <summary>Hardware virtualisation is visible to this kernel.</summary>
    public bool HasVirtualizationFlag => HasVmx || HasSvm;

    public static HostInfo Read()
    {
        string kernel = ReadFirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString;
        string cpuinfo = ReadAll("/proc/cpuinfo") ?? "";
        string nestedIntel = ReadFirstLine("/sys/module/kvm_intel/parameters/nested") ?? "";
        string nestedAmd = ReadFirstLine("/sys/module/kvm_amd/parameters/nested") ?? "";
        string module = KvmModules.FirstOrDefault(m => Directory.Exists("/sys/module/" + m)) ?? "unknown";
        return Parse(kernel, cpuinfo, nestedIntel, nestedAmd) with { KvmModule = module };
    }

    /// <summary>Builds the record from the text of the /proc and /sys files (pure, for tests).</summary>
    public static HostInfo Parse(string kernel, string cpuinfo, string nestedIntel = "", string nestedAmd = "")
    {
        string cpu = "unknown";
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in cpuinfo.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0) continue;
            string key = raw[..colon].Trim(), value = raw[(colon + 1)..].Trim();
            if (key == "model name" && cpu == "unknown") cpu = value;
            else if (key == "flags" && flags.Count == 0)
                foreach (var f in value.Split(' ', StringSplitOptions.RemoveEmptyEntries)) flags.Add(f);
        }
        bool vmx = flags.Contains("vmx"), svm = flags.Contains("svm"), hypervisor = flags.Contains("hypervisor");
        string? hint = null;
        if (hypervisor && (vmx || svm))
            hint = "this host is itself a VM (cpuinfo 'hypervisor' flag): KVM here is nested, exits cost several times more (docs/kvm-facts.md §3.1)";
        else if (hypervisor)
            hint = "this host is a VM without vmx/svm exposed: KVM cannot run here";
        if (nestedIntel is "Y" or "1" || nestedAmd is "Y" or "1")
            hint = (hint is null ? "" : hint + "; ") + "nested virtualisation is enabled in the kvm module (guests may run their own KVM)";
        return new HostInfo(kernel.Trim(), cpu, vmx, svm, hypervisor, hint);
    }

    private static string? ReadAll(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string? ReadFirstLine(string path) => ReadAll(path)?.Split('\n')[0].Trim();
}
