using ExitSim.Model;
using ExitSim.Simulation;
using ExitSim.Statistics;

namespace ExitSim.Reports;

/// <summary>
/// The exit multiplication of a nested run (host.nested), as plain data: how many of the VM's (L2's) exits
/// L1 handled and L0 kept, and the exits L1 itself took to L0 for them, by kind. The counts follow from the
/// counted L2 exits, since every reflected exit is charged exactly these L1 exits (Simulation/NestedCharge).
/// </summary>
public sealed record NestedSummary(string L1, bool ShadowVmcs, long Reflected, long KeptByL0, NestedRow[] L1Exits, double L0ExitsPerReflected);

/// <summary>One kind of L1 exit to L0: per second per VM and per reflected L2 exit.</summary>
public sealed record NestedRow(string Kind, long Count, double PerSecond, double PerReflected);

public static class NestedBreakdown
{
    public static NestedSummary? Of(SimulationModel m, IReadOnlyList<ExitAccumulator> pooled, double vmSeconds)
    {
        var n = m.Scenario.Host.Nested;
        if (!n.Enabled) return null;
        long reflected = 0, kept = 0, userspace = 0;
        for (int i = 0; i < m.Reasons.Length; i++)
        {
            if (NestedExits.Reflected(m.Reasons[i].Name)) { reflected += pooled[i].Count; userspace += pooled[i].Userspace; }
            else kept += pooled[i].Count;
        }
        NestedRow Row(string kind, long count) =>
            new(kind, count, vmSeconds > 0 ? count / vmSeconds : 0, reflected == 0 ? 0 : (double)count / reflected);
        var rows = new List<NestedRow> { Row("VMRESUME", reflected) };
        if (!n.ShadowVmcs)
        {
            rows.Add(Row("VMREAD", reflected * n.Vmreads));
            rows.Add(Row("VMWRITE", reflected * n.Vmwrites));
        }
        if (n.L1Exits > 0) rows.Add(Row("other (L1 entry/exit path)", reflected * n.L1Exits));
        if (n.UserspaceExits > 0) rows.Add(Row("L1 QEMU round trip", userspace * n.UserspaceExits));
        if (n.VcpuReloadExits > 0) rows.Add(Row("L1 vcpu_put/vcpu_load", userspace * n.VcpuReloadExits));
        long l1 = rows.Sum(r => r.Count);
        // Each reflected exit is itself one L0 exit, plus L1's.
        return new NestedSummary(n.L1, n.ShadowVmcs, reflected, kept, rows.ToArray(), reflected == 0 ? 0 : 1 + (double)l1 / reflected);
    }
}
