using ExitSim.Units;

namespace ExitSim.Tests.Units;

public class UnitParserTests
{
    [Theory]
    [InlineData("200ns", 200, QuantityUnit.Nanoseconds)]
    [InlineData("2.5us", 2500, QuantityUnit.Nanoseconds)]
    [InlineData("2.5µs", 2500, QuantityUnit.Nanoseconds)]
    [InlineData("1ms", 1e6, QuantityUnit.Nanoseconds)]
    [InlineData("2 s", 2e9, QuantityUnit.Nanoseconds)]
    [InlineData("1500cyc", 1500, QuantityUnit.Cycles)]
    [InlineData("1e3ns", 1000, QuantityUnit.Nanoseconds)]
    [InlineData("0", 0, QuantityUnit.Nanoseconds)]
    public void Times(string text, double value, QuantityUnit unit)
    {
        Assert.Equal(new Quantity(value, unit), UnitParser.Time(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("2 sec", "use s")]
    [InlineData("200", "has no unit")]
    [InlineData("fast", "expected a time")]
    [InlineData("3 fortnights", "use ns, us, ms, s or cyc")]
    public void Bad_times(string text, string hint)
    {
        Assert.Null(UnitParser.Time(text, out var error));
        Assert.Contains(hint, error);
    }

    [Theory]
    [InlineData("25k/s", 25_000)]
    [InlineData("25000/s", 25_000)]
    [InlineData("1.2M/s", 1.2e6)]
    [InlineData("250Hz", 250)]
    [InlineData("2.5kHz", 2500)]
    [InlineData("10,000/s", 10_000)]
    public void Rates(string text, double perSecond) => Assert.Equal(perSecond, UnitParser.Rate(text, out _)!.Value, 6);

    [Theory]
    [InlineData("25k", "has no unit")]
    [InlineData("25k/min", "use /s or Hz")]
    public void Bad_rates(string text, string hint)
    {
        Assert.Null(UnitParser.Rate(text, out var error));
        Assert.Contains(hint, error);
    }

    [Theory]
    [InlineData("16GiB", 16L << 30)]
    [InlineData("16G", 16L << 30)]
    [InlineData("4KiB", 4096)]
    [InlineData("2MiB", 2L << 20)]
    [InlineData("1GiB", 1L << 30)]
    public void Sizes(string text, long bytes) => Assert.Equal(bytes, UnitParser.Size(text, out _));

    [Theory]
    [InlineData(2500.0, "2.5us")]
    [InlineData(1e9, "1s")]
    [InlineData(123.456, "123.456ns")]
    [InlineData(1234.5678, "1.2345678us")]
    public void Exact_time_formatting_reads_back(double ns, string text)
    {
        Assert.Equal(text, UnitFormat.TimeExact(ns));
        Assert.Equal(ns, UnitParser.Time(text, out _)!.Value.Value);
    }
}
