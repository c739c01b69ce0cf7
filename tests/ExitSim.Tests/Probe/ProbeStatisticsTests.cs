using ExitSim.Probe;

namespace ExitSim.Tests.Probe;

public sealed class ProbeStatisticsTests
{
    [Fact]
    public void Quantiles_interpolate_between_order_statistics()
    {
        double[] s = [1, 2, 3, 4, 5];
        Assert.Equal(3, ProbeStatistics.Quantile(s, 0.5));
        Assert.Equal(1.4, ProbeStatistics.Quantile(s, 0.1), 12);
        Assert.Equal(4.6, ProbeStatistics.Quantile(s, 0.9), 12);
        Assert.True(double.IsNaN(ProbeStatistics.Quantile([], 0.5)));
    }

    [Fact]
    public void Agreeing_repetitions_are_not_noisy()
    {
        var m = ProbeStatistics.Summarise("p", "d", [[100, 101, 99], [102, 100, 98], [100, 103, 97]]);
        Assert.Equal(100, m.MedianNs);
        Assert.Equal(9, m.Samples);
        Assert.False(m.Noisy);
        Assert.True(m.RepetitionSpreadPct <= 2);
    }

    [Fact]
    public void The_mean_leaves_out_the_slowest_percent()
    {
        // 199 samples of 10 and one stall of 100,000: the stall is the slowest 1 % (2 of 200 → 2 left out).
        var samples = Enumerable.Repeat(10.0, 198).Append(20).Append(100_000).ToArray();
        Assert.Equal(10, ProbeStatistics.TrimmedMean(samples));
        var m = ProbeStatistics.Summarise("p", "d", [samples]);
        Assert.Equal(10, m.MeanNs);
        Assert.Equal(12.5, ProbeStatistics.TrimmedMean([10, 15]), 12); // under 100 samples nothing is left out
        Assert.True(double.IsNaN(ProbeStatistics.TrimmedMean([])));
    }

    [Fact]
    public void Disagreeing_repetitions_are_noisy()
    {
        var m = ProbeStatistics.Summarise("p", "d", [[100, 100, 100], [120, 121, 119]]);
        Assert.True(m.Noisy);
        Assert.True(m.RepetitionSpreadPct > 10);
    }

    [Fact]
    public void Guest_speed_ratio_is_host_time_over_guest_time()
    {
        Assert.Equal(0.5, ProbeRunner.GuestSpeedRatio([1.0, 1.0, 1.0], [2.0, 2.0, 2.0]));
        Assert.Equal(1.0, ProbeRunner.GuestSpeedRatio([0.3], [0.3]));
    }

    [Fact]
    public void Host_loop_does_the_work_it_is_asked()
    {
        // xor of 1..4 = 4; the loop must not be optimised away.
        Assert.Equal(4u, ProbeRunner.HostLoop(4));
        Assert.Equal(0u, ProbeRunner.HostLoop(0));
    }

    [Fact]
    public void Stats_checks_allow_a_few_extra_exits_only()
    {
        Assert.True(new StatsCheck("io_exits", 1000, 1000).Ok);
        Assert.True(new StatsCheck("io_exits", 1000, 1020).Ok);
        Assert.False(new StatsCheck("io_exits", 1000, 999).Ok);
        Assert.False(new StatsCheck("io_exits", 1000, 2000).Ok);
    }
}
