using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Randomness;

namespace ExitSim.Simulation.Host;

/// <summary>
/// What a blocked host thread (a vCPU past its halt polling, a QEMU main loop or vhost worker asleep until a kick)
/// pays to run again: the scheduler's wake-up (<c>interrupts.wake</c>), and, if its core was idle, the exit latency
/// of the C-state the cpuidle governor put the core in. The governor (menu, teo: drivers/cpuidle/governors/) picks
/// the deepest state whose target residency the idle period reaches; here it knows the period's length (an ideal
/// prediction). A core that another thread kept busy pays no C-state exit.
/// </summary>
internal sealed class WakeUp
{
    private readonly Sampler _scheduler;
    private readonly double[] _exitLatency, _residency;

    public WakeUp(Sampler scheduler, HostIdleStates states)
    {
        _scheduler = scheduler;
        _exitLatency = states.States.Select(s => s.ExitLatencyNs).ToArray();
        _residency = states.States.Select(s => s.TargetResidencyNs).ToArray();
    }

    /// <summary>The wake-up of a thread whose core has been idle for <paramref name="idleNs"/> (or busy: <paramref name="coreIdle"/> false).</summary>
    public double Latency(RandomStream rng, double idleNs, bool coreIdle)
    {
        double wake = _scheduler.Sample(rng);
        return coreIdle ? wake + ExitLatency(idleNs) : wake;
    }

    /// <summary>
    /// A core halted by HLT in guest mode (HLT not intercepted): HLT enters C1 (Intel SDM vol. 2 HLT; the shallowest state of
    /// the table), and the interrupt that wakes it pays C1's exit latency; 0 without a C-state table (polling cores).
    /// </summary>
    public double HaltExitLatency => _exitLatency.Length > 0 ? _exitLatency[0] : 0;

    /// <summary>The exit latency of the deepest state an idle period of <paramref name="idleNs"/> reaches (0: polling).</summary>
    public double ExitLatency(double idleNs)
    {
        for (int i = _residency.Length - 1; i >= 0; i--)
            if (idleNs >= _residency[i]) return _exitLatency[i];
        return 0;
    }
}
