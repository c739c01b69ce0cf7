using ExitSim.Model;

namespace ExitSim.Scenarios;

// host.nested: the VM as an L2 guest of an L1 KVM (arch/x86/kvm/vmx/nested.c).
public static partial class ScenarioLoader
{
    private const string NestedExample = "nested: { l1: kvm, shadow_vmcs: true }";

    private static NestedSpec ReadNested(YamlSection s, Vendor vendor, string? baseDir)
    {
        var d = new NestedSpec();
        var l1Node = s["l1"];
        string l1 = l1Node is null ? NestedSpec.Kvm : Enum(s, l1Node, "l1", (NestedSpec.Kvm, NestedSpec.Kvm), (NestedSpec.None, NestedSpec.None));
        // Shadow VMCS, nested_vmx_reflect_vmexit and the vmcs12 sync are VMX's; nested SVM (svm/nested.c) has none of them.
        if (l1 == NestedSpec.Kvm && vendor == Vendor.Amd)
            throw s.Error(l1Node ?? s.Node, $"nested virtualisation is modelled for Intel VMX only (VMCS shadowing, nested.c's emulated VM exit and VMRESUME); AMD's nested SVM is not (use vendor: intel, or l1: none)");
        var spec = new NestedSpec
        {
            L1 = l1,
            ShadowVmcs = s["shadow_vmcs"] is not { } sv || Enum(s, sv, "shadow_vmcs", ("true", true), ("false", false)),
            Vmexit = s["vmexit"] is { } ve ? Dist(s, ve, "vmexit", baseDir) : d.Vmexit,
            Vmentry = s["vmentry"] is { } vn ? Dist(s, vn, "vmentry", baseDir) : d.Vmentry,
            Vmreads = s["vmreads"] is { } vr ? Int(s, vr, "vmreads", 0, 1000, "VMREADs of L1's handler per exit") : d.Vmreads,
            Vmwrites = s["vmwrites"] is { } vw ? Int(s, vw, "vmwrites", 0, 1000, "VMWRITEs of L1's handler per exit") : d.Vmwrites,
            L1Exits = s["l1_exits"] is { } le ? Int(s, le, "l1_exits", 0, 1000, "L1's other exits to L0 per reflected exit") : d.L1Exits,
            UserspaceExits = s["userspace_exits"] is { } ue ? Int(s, ue, "userspace_exits", 0, 1000, "L1's exits to L0 per QEMU round trip in L1") : d.UserspaceExits,
            VcpuReloadExits = s["vcpu_reload_exits"] is { } vl ? Int(s, vl, "vcpu_reload_exits", 0, 1000, "L1's exits to L0 in its vcpu_put/vcpu_load per QEMU round trip") : d.VcpuReloadExits,
        };
        s.RejectUnknownKeys();
        return spec;
    }
}
