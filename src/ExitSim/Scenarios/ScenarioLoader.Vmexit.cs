using ExitSim.Distributions;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// The vmexit: section: a kvm-unit-tests vmexit.flat test replayed through the model's exits.
public static partial class ScenarioLoader
{
    private static VmexitSpec ReadVmexit(YamlSection s, string? baseDir)
    {
        var testNode = s.Required("test", "ipi");
        var test = Enum(s, testNode, "test", VmexitSpec.All.Select(t => (VmexitSpec.Name(t), t)).ToArray());
        YamlNode? Node(string key) => s[key] is { } n && !YamlSection.IsNull(n) ? n : null;
        void Refuse(string key, string why)
        {
            if (Node(key) is { } n) throw s.Error(n, $"'{key}' is not used by test: {VmexitSpec.Name(test)} ({why})");
        }
        bool ipi = test == VmexitTest.Ipi;
        if (!ipi) { Refuse("delivery", "only ipi sends an interrupt to another vCPU"); Refuse("ack", "only ipi waits for another vCPU"); }
        if (!VmexitSpec.Interrupted(test)) Refuse("handler", "cpuid and vmcall take no interrupt");
        if (test != VmexitTest.Tscdeadline) Refuse("deadline", "only tscdeadline arms the timer ahead");
        var spec = new VmexitSpec
        {
            Test = test,
            Loop = Dist(s, s.Required("loop", "const(20cyc)"), "loop", baseDir),
            Handler = VmexitSpec.Interrupted(test) ? Dist(s, s.Required("handler", "const(300cyc)"), "handler", baseDir) : null,
            Delivery = ipi ? Dist(s, s.Required("delivery", "const(1500cyc)"), "delivery", baseDir) : null,
            Ack = ipi ? Dist(s, s.Required("ack", "const(150cyc)"), "ack", baseDir) : null,
            Deadline = Node("deadline") is { } d ? Time(s, d, "deadline", allowZero: false) : VmexitSpec.DefaultDeadline,
        };
        s.RejectUnknownKeys();
        return spec;
    }
}
