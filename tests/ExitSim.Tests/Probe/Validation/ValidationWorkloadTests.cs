using ExitSim.Probe;
using ExitSim.Probe.Validation;
using ExitSim.Scenarios;

namespace ExitSim.Tests.Probe.Validation;

/// <summary>The validation workloads, their guests and their scenarios, without KVM.</summary>
public sealed class ValidationWorkloadTests
{
    private static ValidationWorkload W(double computeNs, params WorkloadExit[] exits) => new("t", "test", computeNs, exits);

    [Fact]
    public void The_shipped_suite_is_valid_and_covers_every_probed_io_path()
    {
        Assert.All(ValidationSuite.Default, w => Assert.Null(w.Problem()));
        var kinds = ValidationSuite.Default.SelectMany(w => w.Exits).Select(e => e.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<ProbeExit>().ToHashSet(), kinds);
        Assert.Equal(ValidationSuite.Default.Count, ValidationSuite.Default.Select(w => w.Name).Distinct().Count());
    }

    [Theory]
    [InlineData(0, "compute must be positive")]
    [InlineData(-1, "compute must be positive")]
    public void Workloads_without_compute_are_refused(double compute, string problem) =>
        Assert.StartsWith(problem, W(compute, new WorkloadExit(ProbeExit.UserspacePio, 1))!.Problem());

    [Fact]
    public void Workloads_a_scenario_cannot_express_are_refused()
    {
        Assert.Null(W(1_000, new(ProbeExit.UserspacePio, 1), new(ProbeExit.IoEventFdPio, 1)).Problem()); // one reason on two paths is fine
        Assert.Contains("only exits handled in userspace", W(1_000, new WorkloadExit(ProbeExit.IoEventFdMmio, 1, 500)).Problem());
        Assert.Contains("at least one exit", W(1_000).Problem());
        Assert.Contains("at most 64", W(1_000, new WorkloadExit(ProbeExit.UserspacePio, 65)).Problem());
        Assert.Contains("listed once", W(1_000, new(ProbeExit.UserspacePio, 1), new(ProbeExit.UserspacePio, 2)).Problem());
        Assert.Throws<ArgumentException>(() => ValidationGuest.Build(W(1_000), 10, 1));
    }

    [Fact]
    public void Exits_of_a_request_are_interleaved_evenly()
    {
        var slots = ValidationGuest.Slots(W(1_000, new(ProbeExit.UserspacePio, 2), new(ProbeExit.IoEventFdMmio, 4)));
        Assert.Equal([ProbeExit.IoEventFdMmio, ProbeExit.UserspacePio, ProbeExit.IoEventFdMmio,
                      ProbeExit.IoEventFdMmio, ProbeExit.UserspacePio, ProbeExit.IoEventFdMmio], slots);
    }

    [Fact]
    public void The_guest_is_the_described_loop_byte_for_byte()
    {
        // 1 userspace PIO + 1 ioeventfd MMIO, 7 iterations per request (4 + 3), 5 requests per batch.
        var program = ValidationGuest.Build(W(1_000, new(ProbeExit.UserspacePio, 1), new(ProbeExit.IoEventFdMmio, 1)), 7, 5);
        byte[] expected =
        [
            0xB8, 0x00, 0x10,                   // 00 mov ax, 0x1000
            0x8E, 0xD8,                         // 03 mov ds, ax
            0xB0, 0x41,                         // 05 mov al, 0x41
            0xBE, 0x05, 0x00,                   // 07 mov si, 5
            0x66, 0xB9, 0x04, 0x00, 0x00, 0x00, // 0a request: mov ecx, 4
            0x66, 0x31, 0xCB,                   // 10 c0: xor ebx, ecx
            0x66, 0x49,                         // 13 dec ecx
            0x75, 0xF9,                         // 15 jnz c0
            0xBA, 0x10, 0x05,                   // 17 mov dx, 0x510
            0xEE,                               // 1a out dx, al
            0x66, 0xB9, 0x03, 0x00, 0x00, 0x00, // 1b mov ecx, 3
            0x66, 0x31, 0xCB,                   // 21 c1: xor ebx, ecx
            0x66, 0x49,                         // 24 dec ecx
            0x75, 0xF9,                         // 26 jnz c1
            0xA2, 0x00, 0x01,                   // 28 mov [0x100], al (DS 0x1000: GPA 0x10100)
            0x4E,                               // 2b dec si
            0x74, 0x03,                         // 2c jz done
            0xE9, 0xD9, 0xFF,                   // 2e jmp request (0x0a - 0x31 = -0x27)
            0xBA, 0x30, 0x05,                   // 31 done: mov dx, 0x530
            0xEE,                               // 34 out dx, al
            0xF4,                               // 35 hlt
            0xE9, 0xC7, 0xFF,                   // 36 jmp start (0x00 - 0x39 = -0x39)
        ];
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(program.Code));
    }

    [Fact]
    public void The_compute_guest_is_the_same_request_without_its_exit_instructions()
    {
        var w = W(1_000, new(ProbeExit.UserspacePio, 1), new(ProbeExit.IoEventFdMmio, 1));
        var with = ValidationGuest.Build(w, 7, 5).Code;
        var without = ValidationGuest.Build(w, 7, 5, withExits: false).Code;
        Assert.Equal(with.Length - 4, without.Length); // out dx, al (1 byte) and mov [0x100], al (3 bytes) left out
        Assert.Equal(with[..0x1a], without[..0x1a]);   // up to and including mov dx, 0x510
        Assert.Equal(0, Count(without, [0xEE]) - 1);    // the only out left is the done port's
        Assert.Equal(0, Count(without, [0xA2, 0x00, 0x01]));
    }

    [Fact]
    public void A_slot_without_iterations_has_no_loop()
    {
        var code = ValidationGuest.Build(W(1_000, new WorkloadExit(ProbeExit.UserspaceMmio, 2)), 1, 1).Code;
        Assert.Equal(1, Count(code, [0x66, 0xB9])); // one mov ecx: the second slot has no compute
    }

    private static int Count(byte[] haystack, byte[] needle) =>
        Enumerable.Range(0, haystack.Length - needle.Length + 1).Count(i => haystack.AsSpan(i, needle.Length).SequenceEqual(needle));

    /// <summary>A profile as exitsim probe writes it (medians, means, guest loop), in a fresh folder.</summary>
    private static string WriteProfile()
    {
        string dir = Directory.CreateTempSubdirectory("exitsim-validate").FullName;
        string path = Path.Combine(dir, "host-profile.yaml");
        File.WriteAllText(path, """
            host_profile:
              kernel: test
              cpu: test
              paths:
                userspace_pio: 4us
                userspace_mmio: 5us
                ioeventfd_pio: 1us
                ioeventfd_mmio: 1.5us
                guest_speed_ratio: 1.00
              means:
                userspace_pio: 5us
                userspace_mmio: 6us
                ioeventfd_pio: 1.1us
                ioeventfd_mmio: 1.5us
              guest_loop: 0.5ns
              noisy: false
            """);
        return path;
    }

    [Fact]
    public void Each_scenario_loads_and_predicts_the_closed_form_time_per_request()
    {
        // One vCPU, no queueing: a request costs its compute plus each exit's mean round trip and emulation.
        string path = WriteProfile();
        var profile = ValidationRunner.LoadProfile(path);
        foreach (var w in ValidationSuite.Default)
        {
            uint iterations = ValidationRunner.Iterations(w, profile);
            Assert.Equal(w.ComputeNs, iterations * 0.5, 1e-9);
            double closed = ValidationRunner.EstimateRequestNs(w, profile);
            var p = ValidationRunner.Predict(w, path, w.ComputeNs, closed, replications: 3);
            Assert.Equal(closed, p.Ns, closed * 0.01);
            Assert.True(p.Ci95Ns > 0 || w.Exits.All(e => profile.Path(e.ProbePath)!.MeanNs == profile.Path(e.ProbePath)!.MedianNs), w.Name);
            var s = ScenarioLoader.Parse(p.Yaml, Path.Combine(Path.GetDirectoryName(path)!, "x.yaml"));
            Assert.Equal(w.Exits.Select(e => e.Reason).Distinct().Order(), s.Exits.Select(e => e.Reason).Order());
            // A reason the workload takes on both paths is one reason with both paths, each at its own rate.
            foreach (var e in s.Exits.Where(e => e.Paths.Count > 0))
                Assert.Equal(w.Exits.Where(x => x.Reason == e.Reason).Select(x => w.ComputeNs / x.PerRequest).Order(),
                    e.Paths.Select(p => p.Occurrence.Interval!.Mean(1)).Order());
            Assert.Equal(1, s.Vm.Vcpus);

            // Costed alongside: the same scenario with each path's cost as measured (here twice the profile's).
            var doubled = w.Exits.Select(e => new ValidationRunner.PathCost(e.ProbePath, 2 * profile.Path(e.ProbePath)!.MeanNs!.Value)).ToList();
            var twice = ValidationRunner.Predict(w, path, w.ComputeNs, closed, 3, ValidationRunner.AlongsideProfile(profile, doubled));
            double closedTwice = w.ComputeNs + w.Exits.Sum(e => e.PerRequest * (2 * profile.Path(e.ProbePath)!.MeanNs!.Value + e.EmulationNs));
            Assert.Equal(closedTwice, twice.Ns, closedTwice * 0.01);
        }
    }

    [Fact]
    public void A_profile_without_the_guest_loop_cannot_be_validated()
    {
        string path = WriteProfile();
        File.WriteAllText(path, File.ReadAllText(path).Replace("  guest_loop: 0.5ns\n", ""));
        var e = Assert.Throws<ScenarioException>(() => ValidationRunner.LoadProfile(path));
        Assert.Contains("no 'guest_loop:'", e.Message);
    }

    [Fact]
    public void The_model_is_judged_on_the_costs_measured_alongside_against_the_measurements_own_ci()
    {
        var w = ValidationSuite.Default[0];
        ValidationOutcome O(double alongside, double ci, double profile = 10_000) =>
            new(w, 100, 50, 30, 10_000, ci, [], [], profile, 10, "")
            {
                AlongsideNs = alongside,
                Drift = [new PathDrift("userspace_pio", 8_000, 8_000 * alongside / profile)],
            };
        var within = new ValidationReport("/p.yaml", false, false, [O(10_150, 1)]);
        Assert.Equal(ErrorVerdict.Within, within.Outcomes[0].Verdict);
        Assert.True(within.Judged && within.WithinTolerance);
        Assert.Contains("verdict (model, costs measured alongside): every workload within ±3 % (worst 1.5 %)", ValidationTableFormatter.Format(within));

        // 2.5 % off with a CI of ±1 %: the true error may be 3.5 %.
        var undecided = within with { Outcomes = [O(10_250, 1)] };
        Assert.Equal(ErrorVerdict.Undecided, undecided.Outcomes[0].Verdict);
        Assert.Contains("undecided for pio-emulated", ValidationTableFormatter.Format(undecided));
        var beyond = within with { Outcomes = [O(10_500, 1)] };
        Assert.Equal(ErrorVerdict.Beyond, beyond.Outcomes[0].Verdict);
        Assert.Contains("beyond ±3 % for pio-emulated", ValidationTableFormatter.Format(beyond));

        // The profile's prediction is 20 % off because the host's exit costs moved; the model, costed alongside, is not.
        var drifted = within with { Outcomes = [O(10_100, 1, profile: 12_000)] };
        string text = ValidationTableFormatter.Format(drifted);
        Assert.Contains("+20.0%", text);
        Assert.Contains("every workload within ±3 %", text);
        Assert.Contains("this host's exit costs moved since the profile (up to -15.8%, userspace_pio)", text);

        var emulated = within with { EmulatedHost = true };
        Assert.False(emulated.Judged);
        Assert.Contains("verdict: the host CPU is emulated", ValidationTableFormatter.Format(emulated));
    }

    [Fact]
    public void The_alongside_profile_replaces_each_measured_paths_mean_and_keeps_its_shape()
    {
        var profile = ValidationRunner.LoadProfile(WriteProfile());
        var p = profile.Path("userspace_pio")!;
        var alongside = ValidationRunner.AlongsideProfile(profile, [new ValidationRunner.PathCost("userspace_pio", 2 * (p.MeanNs ?? p.MedianNs))]);
        var a = alongside.Path("userspace_pio")!;
        Assert.Equal(2 * (p.MeanNs ?? p.MedianNs), a.MeanNs!.Value, 1e-9);
        Assert.Equal(2 * p.MedianNs, a.MedianNs, 1e-9);
        Assert.Equal(profile.Path("ioeventfd_pio"), alongside.Path("ioeventfd_pio"));
    }

    [Fact]
    public void A_round_a_disturbance_hit_in_any_series_is_dropped_from_all()
    {
        // Three series of ten rounds: round 3's compute and round 7's loop cost were disturbed (far beyond 3 MADs).
        double[] with = [10, 10.2, 9.9, 10.1, 10, 9.8, 10.1, 10, 10.2, 9.9];
        double[] compute = [5, 5.1, 4.9, 9.0, 5, 5.1, 4.9, 5, 5.1, 5];
        double[] cost = [1, 1.02, 0.98, 1, 1.01, 0.99, 1, 2.5, 1, 1];
        var keep = ProbeStatistics.UndisturbedRounds([with, compute, cost]);
        Assert.Equal([true, true, true, false, true, true, true, false, true, true], keep);
        // Constant series (MAD 0) drop nothing.
        Assert.All(ProbeStatistics.UndisturbedRounds([[1.0, 1, 1, 1]]), Assert.True);
    }
}
