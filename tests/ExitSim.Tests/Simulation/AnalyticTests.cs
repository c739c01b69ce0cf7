using ExitSim.Running;
using ExitSim.Statistics;

namespace ExitSim.Tests.Simulation;

/// <summary>The simulator against closed forms.</summary>
public class AnalyticTests
{
    [Fact]
    public void Peer_model_mean_exit_cost_and_guest_fraction_match_the_analytic_values()
    {
        var r = Run.File(Repo.Path("scenarios", "bench", "peer-4vcpu.yaml"),
            new RunOptions { DurationNs = 200e6, Replications = 10, Seed = 3 });
        // 0.2 + 0.5 + 0.4 × 2 + 0.1 µs, and 10 / (10 + 1.6) of the time in the guest.
        Assert.InRange(1600, r.MeanExitLatencyNs - r.MeanExitLatencyNsCi95!.Value, r.MeanExitLatencyNs + r.MeanExitLatencyNsCi95.Value);
        Assert.InRange(10 / 11.6, r.GuestTimeFraction - r.GuestTimeFractionCi95!.Value, r.GuestTimeFraction + r.GuestTimeFractionCi95.Value);
        Assert.True(r.MeanExitLatencyNsCi95 < 10, "the interval must be tight enough to mean something");
        // 4 vCPUs each exiting once per 11.6 µs of wall time.
        Assert.Equal(4 / 11.6e-6, r.ExitsPerSecond, 4 / 11.6e-6 * 0.005);
        Assert.Equal(40.0, r.Reasons.Single(x => x.Name == "IO_INSTRUCTION").SamplesPct, 0.3);
    }

    /// <summary>
    /// vCPUs that run the guest for exp(1/λ) and then need the QEMU thread for exp(1/μ) form the
    /// finite-source M/M/1//N queue (machine repairman): p0 = 1 / Σ N!/(N−n)! (λ/μ)^n,
    /// throughput X = μ(1 − p0), in system L = N − X/λ, wait Wq = L/X − 1/μ.
    /// </summary>
    private static double MachineRepairmanWait(int n, double lambda, double mu)
    {
        double sum = 0, term = 1;
        for (int k = 0; k <= n; k++)
        {
            sum += term;
            term *= (n - k) * lambda / mu;
        }
        double p0 = 1 / sum, x = mu * (1 - p0), l = n - x / lambda;
        return l / x - 1 / mu;
    }

    private static string QueueScenario(int vcpus, string think, string service, string duration = "400ms") => $$"""
        name: mm1
        host: { vendor: intel, ghz: 2.0, cores: 256 }   # a core per thread: the closed forms have no host contention
        costs: { save: const(0), handle: const(0), reenter: const(0) }
        vm: { vcpus: {{vcpus}}, qemu_threads: per-vm }
        exits:
          IO_INSTRUCTION:
            interval: {{think}}
            path: userspace
            emulate: {{service}}
        run: { duration: {{duration}}, warmup: 20ms, replications: 10, seed: 11 }
        """;

    private static Estimate MeanWait(string yaml)
    {
        var result = Run.Yaml(yaml);
        return Estimate.Of(result.Replications.Select(r => r.Reasons[0].Wait / r.Reasons[0].Count).ToArray());
    }

    [Theory]
    [InlineData(4, 20.0, 5.0)]
    [InlineData(8, 40.0, 4.0)]
    [InlineData(2, 10.0, 10.0)]
    public void Qemu_thread_wait_matches_the_machine_repairman_closed_form(int n, double thinkUs, double serviceUs)
    {
        double expected = MachineRepairmanWait(n, 1 / (thinkUs * 1000), 1 / (serviceUs * 1000));
        var w = MeanWait(QueueScenario(n, $"exp({thinkUs}us)", $"exp({serviceUs}us)"));
        Assert.InRange(expected, w.Low - 0.005 * expected, w.High + 0.005 * expected);
        Assert.True(w.HalfWidth95 < 0.03 * expected);
    }

    [Fact]
    public void Many_small_vcpus_approach_the_open_mm1_queue()
    {
        // 200 vCPUs each asking every 4 ms for 10 µs of QEMU time: λ ≈ 50k/s, ρ ≈ 0.5, M/M/1 Wq = ρ/(μ−λ) = 10 µs.
        double exact = MachineRepairmanWait(200, 1 / 4e6, 1 / 1e4);
        Assert.Equal(10_000, exact, 10_000 * 0.03);
        var w = MeanWait(QueueScenario(200, "exp(4ms)", "exp(10us)", "1s"));
        Assert.InRange(exact, w.Low - 0.01 * exact, w.High + 0.01 * exact);
    }

    [Fact]
    public void Constant_service_follows_pollaczek_khinchine()
    {
        // M/D/1 with ρ = 0.5: Wq = ρ S / (2 (1 − ρ)) = S / 2 = 5 µs (finite-source correction < 1 %).
        var w = MeanWait(QueueScenario(200, "exp(4ms)", "const(10us)", "1s"));
        Assert.InRange(5_000 * 0.98, w.Low - 60, w.High + 60);
        Assert.InRange(w.Mean, 4_800, 5_100);
    }

    [Fact]
    public void Littles_law_holds_for_the_qemu_queue()
    {
        var result = Run.Yaml(QueueScenario(4, "exp(20us)", "exp(5us)"));
        foreach (var r in result.Replications)
        {
            double window = r.WindowNs;
            double lq = r.Time.Wait / window;                       // mean number of vCPUs waiting
            double lambda = r.Reasons[0].Count / window;            // arrivals per ns
            double wq = r.Reasons[0].Wait / r.Reasons[0].Count;     // mean wait per exit
            Assert.Equal(lq, lambda * wq, lq * 0.01);
            Assert.Equal(r.QemuUtilisation[0], r.Reasons[0].Emulate / window, 0.01);
        }
    }
}
