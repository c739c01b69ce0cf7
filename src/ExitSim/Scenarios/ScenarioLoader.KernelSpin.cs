using ExitSim.Units;

namespace ExitSim.Scenarios;

// vm.kernel_spin: the guest kernel's spin-waits, which pause-loop exiting sees.
public static partial class ScenarioLoader
{
    private const string KernelSpinExample = "kernel_spin: { rate: 2k/s, wait: \"lognormal(mean=1us, cv=1)\" }";

    private static KernelSpinSpec ReadKernelSpin(YamlSection s, string? baseDir, double ghz)
    {
        var rateNode = s.Required("rate", "2k/s");
        double rate = Rate(s, rateNode, "rate");
        if (rate <= 0) throw s.Error(rateNode, $"'rate' must be greater than zero (spin-waits per second of guest time per vCPU; drop kernel_spin for none, e.g. {KernelSpinExample})");
        if (rate > ScenarioLimits.MaxRatePerSecond) throw s.Error(rateNode, $"'rate' must be at most {UnitFormat.Rate(ScenarioLimits.MaxRatePerSecond)} per vCPU");
        var waitNode = s.Required("wait", "lognormal(mean=1us, cv=1)");
        var wait = Dist(s, waitNode, "wait", baseDir);
        // A spin lasts as long as the lock holder keeps the lock: cycles or time, both are fine.
        double meanNs = wait.Mean(ghz);
        if (!(meanNs > 0))
            throw s.Error(waitNode, $"'wait' must have a mean greater than zero (how long one spin-wait lasts, e.g. {KernelSpinExample})");
        if (rate * meanNs / 1e9 > 0.5)
            throw s.Error(rateNode, $"kernel spin-waits of mean {UnitFormat.Time(meanNs)} at {UnitFormat.Rate(rate)} would take {100 * rate * meanNs / 1e9:0}% of each vCPU's guest time (at most 50%: lower the rate or the wait)");
        s.RejectUnknownKeys();
        return new KernelSpinSpec(rate, wait);
    }
}
