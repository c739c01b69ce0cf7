using ExitSim.Units;

namespace ExitSim.Scenarios;

// vm.tlb_shootdowns: the guest's flush IPIs to the other vCPUs of the mm, and the initiator's wait for their acks.
public static partial class ScenarioLoader
{
    private const string TlbShootdownsExample = "tlb_shootdowns: { rate: 500/s, ack: 2us }";

    private static TlbShootdownSpec ReadTlbShootdowns(YamlSection s)
    {
        var rateNode = s.Required("rate", "500/s");
        double rate = Rate(s, rateNode, "rate");
        if (rate <= 0) throw s.Error(rateNode, $"'rate' must be greater than zero (shootdowns per second of guest time per vCPU; drop tlb_shootdowns for none, e.g. {TlbShootdownsExample})");
        if (rate > ScenarioLimits.MaxRatePerSecond) throw s.Error(rateNode, $"'rate' must be at most {UnitFormat.Rate(ScenarioLimits.MaxRatePerSecond)} per vCPU");
        double ack = TlbShootdownSpec.DefaultAckNs;
        if (s["ack"] is { } ackNode)
        {
            ack = Time(s, ackNode, "ack", allowZero: false, allowCycles: false).Value;
            if (ack > 1e6) throw s.Error(ackNode, $"'ack' is one running target's IPI-to-acknowledgement time: at most 1ms, got {UnitFormat.Time(ack)} (e.g. {TlbShootdownsExample})");
        }
        s.RejectUnknownKeys();
        return new TlbShootdownSpec(rate, ack);
    }
}
