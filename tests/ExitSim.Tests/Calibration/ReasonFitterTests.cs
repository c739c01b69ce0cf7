using ExitSim.Calibration;
using ExitSim.Calibration.Fitting;

namespace ExitSim.Tests.Calibration;

public sealed class ReasonFitterTests
{
    [Fact]
    public void Perf_hlt_time_is_flagged_as_idle_and_fitted_as_halted_time()
    {
        var report = Assert.Single(Fixtures.Import("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"));

        var fits = ReasonFitter.Fit(report, assumedCv: 1);

        var hlt = fits.Single(f => f.Reason == "HLT");
        Assert.True(hlt.IsIdleTime);
        // The halted time is what the idle model keeps: its mean is perf's 30567.94us.
        Assert.Equal(30_567_940, hlt.Distribution!.MeanNs, 1e-3 * 30_567_940);
        Assert.Contains("halted", hlt.Note, StringComparison.Ordinal);
        Assert.All(fits.Where(f => f.Reason != "HLT"), f =>
        {
            Assert.False(f.IsIdleTime);
            Assert.NotNull(f.Distribution);
        });
        var cpuid = fits.Single(f => f.Reason == "CPUID").Distribution!;
        Assert.StartsWith("perf-kvm-stat perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt:10 CPUID: lognormal by moments", cpuid.Provenance);
        Assert.Equal(2160, cpuid.N);
    }

    [Fact]
    public void Trace_durations_are_fitted_and_hlt_in_a_trace_is_idle_too()
    {
        var trace = new Measurement
        {
            Format = MeasurementFormat.Ftrace,
            SourcePath = "t.txt",
            StartLine = 1,
            IntervalSeconds = 2,
            Reasons =
            [
                new ReasonMeasurement { Name = "MSR_WRITE", Count = 3, Durations = [900, 1000, 1100], SourceLine = 4 },
                new ReasonMeasurement { Name = "HLT", Count = 2, Durations = [5e5, 9e5], SourceLine = 5 },
            ],
        };

        var fits = ReasonFitter.Fit(trace, assumedCv: 1);

        Assert.Equal(DistributionFamily.Empirical, fits[0].Distribution!.Family);
        Assert.Equal(1000, fits[0].Distribution!.MeanNs);
        Assert.Equal(1.5, fits[0].Rate.PerSecond);
        Assert.Equal(7e5, fits[1].Distribution!.MeanNs);
        Assert.True(fits[1].IsIdleTime);
    }

    [Fact]
    public void Counts_only_sources_get_rates_but_no_distribution()
    {
        var timed = Fixtures.Import("bcc-kvmexit__upstream-example-all-threads.txt")[1];

        var fits = ReasonFitter.Fit(timed, assumedCv: 1);

        var msr = fits[4]; // 1273922 MSR_WRITE 15025 over 6 s
        Assert.Equal("MSR_WRITE", msr.Reason);
        Assert.Equal(15025 / 6.0, msr.Rate.PerSecond!.Value, 9);
        Assert.Null(msr.Distribution);
        Assert.Contains("counts only", msr.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Rates_say_when_the_interval_is_unknown()
    {
        var report = Assert.Single(Fixtures.Import("perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt"));
        var msr = report.Reason("MSR_WRITE");

        var unknown = Rates.ForReason(msr, report);
        Assert.Null(unknown.PerSecond);
        Assert.Contains("interval unknown", unknown.Note, StringComparison.Ordinal);

        // The blog says sysbench ran for 22.66 s; the caller can supply that.
        Assert.Equal(9167 / 22.66, Rates.ForReason(msr, report, 22.66).PerSecond!.Value, 9);

        var screen = Assert.Single(Fixtures.Import("kvm_stat-debugfs-old__fleming-2016-perf-probe-blog.txt"));
        Assert.Null(Rates.ForReason(screen.Reason("HLT"), screen).PerSecond);
        Assert.Equal(50, Rates.PerSecond(100, 2).PerSecond);
    }
}
