using System.Text.RegularExpressions;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// The vCPU threads of a trace: each vCPU is one thread of the VMM (QEMU names it <c>CPU n/KVM</c>), and only vCPU threads
/// emit kvm_exit, kvm_entry, kvm_userspace_exit and the access events. Their number is the vCPU count the trace shows; a
/// vCPU that never left the guest in the window does not appear, which is why the inference is printed.
/// </summary>
internal sealed partial class VcpuThreads
{
    private readonly Dictionary<long, (string Comm, int? Vcpu)> _threads = [];

    /// <summary>Records a vCPU event of thread <paramref name="tid"/>; <paramref name="vcpu"/> is the id a payload names, if any.</summary>
    public void Saw(long tid, string comm, int? vcpu)
    {
        if (!_threads.TryGetValue(tid, out var known) || (known.Vcpu is null && vcpu is not null))
        {
            _threads[tid] = (comm.Trim(), vcpu ?? known.Vcpu);
        }
    }

    public VcpuInference? Infer()
    {
        if (_threads.Count == 0)
        {
            return null;
        }

        var evidence = new List<string>();
        var ids = _threads.Values.Select(t => t.Vcpu).OfType<int>().Distinct().Order().ToArray();
        if (ids.Length > 0)
        {
            evidence.Add("vcpu " + Span(ids));
        }

        var named = _threads.Values.Select(t => VcpuComm().Match(t.Comm)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToArray();
        if (named.Length > 0)
        {
            evidence.Add(named.Length == 1 ? $"CPU {named[0]}/KVM" : $"CPU {named[0]}/KVM … CPU {named[^1]}/KVM");
        }

        var threads = _threads.Count == 1 ? "1 thread" : $"{_threads.Count} threads";
        return new VcpuInference(_threads.Count, evidence.Count == 0 ? $"{threads} with vCPU events" : $"{threads} with vCPU events ({string.Join("; ", evidence)})");
    }

    private static string Span(int[] ids) =>
        ids.Length == 1 ? ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture)
        : ids[^1] - ids[0] == ids.Length - 1 ? $"{ids[0]}–{ids[^1]}"
        : string.Join(", ", ids.Take(8)) + (ids.Length > 8 ? ", …" : "");

    [GeneratedRegex(@"^CPU (\d{1,6})/KVM$")]
    private static partial Regex VcpuComm();
}
