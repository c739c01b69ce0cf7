using ExitSim.Units;

namespace ExitSim.Scenarios;

// vm.kernel_spin: the guest kernel's spin-waits, which pause-loop exiting sees.
public static partial class ScenarioLoader
{
    private const string KernelSpinExample = "kernel_spin: { rate: 2k/s, wait: \"lognormal(mean=1us, cv=1)\" }";
    private const string KernelLockExample = "kernel_spin: { rate: 20k/s, hold: \"exp(2us)\" }";

    private static KernelSpinSpec ReadKernelSpin(YamlSection s, string? baseDir, double ghz)
    {
        var rateNode = s.Required("rate", "2k/s");
        double rate = Rate(s, rateNode, "rate");
        if (rate <= 0) throw s.Error(rateNode, $"'rate' must be greater than zero (spin-waits per second of guest time per vCPU; drop kernel_spin for none, e.g. {KernelSpinExample})");
        if (rate > ScenarioLimits.MaxRatePerSecond) throw s.Error(rateNode, $"'rate' must be at most {UnitFormat.Rate(ScenarioLimits.MaxRatePerSecond)} per vCPU");
        // Either independent spin-waits of a given length (wait), or acquisitions of one spinlock per VM held for a time (hold).
        var holdNode = s["hold"];
        if (holdNode is not null && s["wait"] is { } both)
            throw s.Error(both, $"give 'wait' or 'hold', not both ('hold' makes the spin-waits acquisitions of one kernel spinlock per VM, whose waits follow from the holders, e.g. {KernelLockExample})");
        string key = holdNode is null ? "wait" : "hold";
        var node = holdNode ?? s.Required("wait", "lognormal(mean=1us, cv=1)");
        var dist = Dist(s, node, key, baseDir);
        // A spin lasts as long as the lock holder keeps the lock: cycles or time, both are fine.
        double meanNs = dist.Mean(ghz);
        if (!(meanNs > 0))
            throw s.Error(node, holdNode is null
                ? $"'wait' must have a mean greater than zero (how long one spin-wait lasts, e.g. {KernelSpinExample})"
                : $"'hold' must have a mean greater than zero (how long a holder keeps the lock, e.g. {KernelLockExample})");
        if (rate * meanNs / 1e9 > 0.5)
            throw s.Error(rateNode, $"kernel spin-waits of mean {UnitFormat.Time(meanNs)} at {UnitFormat.Rate(rate)} would take {100 * rate * meanNs / 1e9:0}% of each vCPU's guest time (at most 50%: lower the rate or the {key})");
        // One iteration of a lock waiter's spin loop (a PAUSE and a load): sets pv-spinlock's spin before halting.
        Quantity? loop = null;
        if (s["loop"] is { } loopNode && !YamlSection.IsNull(loopNode))
        {
            if (holdNode is null) throw s.Error(loopNode, $"'loop' is the time of one iteration of a lock waiter's spin loop: it needs 'hold' (e.g. {KernelLockExample.Replace(" }", ", loop: 140cyc }")})");
            loop = Time(s, loopNode, "loop", allowZero: false);
            if (loop.Value.Resolve(ghz) > 1e6) throw s.Error(loopNode, "'loop' is one PAUSE-loop iteration: at most 1ms (PAUSE takes about 10 to 140 cycles)");
        }
        s.RejectUnknownKeys();
        return holdNode is null ? new KernelSpinSpec(rate, dist) : new KernelSpinSpec(rate, null, dist, loop);
    }
}
