using ExitSim.Distributions;
using ExitSim.Units;
using FsCheck;
using FsCheck.Fluent;

namespace ExitSim.Tests.Distributions;

public class DistributionParserTests
{
    [Theory]
    [InlineData("2us", "const(2us)")]
    [InlineData("const(300cyc)", "const(300cyc)")]
    [InlineData("exp(500ns)", "exp(500ns)")]
    [InlineData("exp(mean=0.5us)", "exp(500ns)")]
    [InlineData("exp(rate=25k/s)", "exp(40us)")]
    [InlineData("lognormal(mean=2us, cv=0.8)", "lognormal(mean=2us, cv=0.8)")]
    [InlineData("lognormal(mean=2us, sd=1us)", "lognormal(mean=2us, cv=0.5)")]
    [InlineData("gamma(shape=2, mean=1us)", "gamma(shape=2, mean=1us)")]
    [InlineData("gamma(shape=2, scale=500ns)", "gamma(shape=2, mean=1us)")]
    [InlineData("gamma(mean=1us, cv=0.5)", "gamma(shape=4, mean=1us)")]
    [InlineData("uniform(1us, 3us)", "uniform(1us, 3us)")]
    [InlineData("weibull(shape=1.5, scale=2us)", "weibull(shape=1.5, scale=2us)")]
    [InlineData("uniform(min=1us, max=3us)", "uniform(1us, 3us)")]
    [InlineData("normal(mean=2us, sd=0.5us)", "normal(mean=2us, sd=500ns)")]
    [InlineData("empirical(1us, 2us, 3.5us)", "empirical(1us, 2us, 3.5us)")]
    [InlineData("mix(0.6: const(0), 0.4: exp(2us))", "mix(0.6: const(0ns), 0.4: exp(2us))")]
    [InlineData("  exp( 500ns )  ", "exp(500ns)")]
    public void Parses_every_family(string text, string formatted)
    {
        Assert.Equal(formatted, DistributionParser.Parse(text).Format());
    }

    [Theory]
    [InlineData("expo(500ns)", "unknown distribution 'expo' (did you mean 'exp'?)", 0)]
    [InlineData("exp(500)", "'500' has no unit", 4)]
    [InlineData("exp(5 parsecs)", "unknown time unit 'parsecs'", 4)]
    [InlineData("exp(-5us)", "a time cannot be negative", 4)]
    [InlineData("exp(0us)", "must be greater than zero", 4)]
    [InlineData("lognormal(mean=2us, cv=-1)", "'cv' cannot be negative", 20)]
    [InlineData("lognormal(mean=2us, cb=0.5)", "unknown argument 'cb' for lognormal (did you mean 'cv'?)", 20)]
    [InlineData("lognormal(mean=2us", "missing ')'", 0)]
    [InlineData("uniform(3us, 1us)", "upper bound 1us is below lower bound 3us", 13)]
    [InlineData("mix(0.5: exp(1us), 0.4: exp(2us))", "mixture weights sum to 0.9", 0)]
    [InlineData("mix(exp(1us))", "weight: distribution", 4)]
    [InlineData("gamma(mean=1us)", "gamma needs shape=", 0)]
    [InlineData("empirical()", "empirical needs values", 0)]
    [InlineData("exp(1us) extra", "unexpected 'extra'", 9)]
    [InlineData("", "expected a distribution", 0)]
    public void Bad_distributions_say_what_and_where(string text, string message, int offset)
    {
        var e = Assert.Throws<DistributionSyntaxException>(() => DistributionParser.Parse(text));
        Assert.Contains(message, e.Message);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void Empirical_values_can_come_from_a_csv_file()
    {
        string dir = Directory.CreateTempSubdirectory("exitsim").FullName;
        File.WriteAllText(Path.Combine(dir, "costs.csv"), "us\n1\n2.5\n# comment\n3us\n");
        var d = (EmpiricalDistribution)DistributionParser.Parse("empirical(file=costs.csv)", dir);
        Assert.Equal(new[] { 1000.0, 2500, 3000 }, d.Values.Select(v => v.Value));
        Assert.Equal("empirical(file=costs.csv)", d.Format());
        var e = Assert.Throws<DistributionSyntaxException>(() => DistributionParser.Parse("empirical(file=nope.csv)", dir));
        Assert.Contains("not found", e.Message);
    }

    public static Arbitrary<Distribution> Distributions()
    {
        var time = from v in Gen.Choose(1, 1_000_000)
                   from unit in Gen.Elements(QuantityUnit.Nanoseconds, QuantityUnit.Cycles)
                   from scale in Gen.Elements(1.0, 0.001, 1000.0, 0.37)
                   select new Quantity(v * scale, unit);
        var ns = from v in Gen.Choose(1, 1_000_000) from scale in Gen.Elements(1.0, 0.25, 1000.0) select Quantity.Ns(v * scale);
        var positive = Gen.Choose(1, 5000).Select(v => v / 1000.0);
        // Below 0.25 the mean (scale × Γ(1 + 1/shape)) of the larger scales passes the limit of any time.
        var weibullShape = Gen.Choose(250, 5000).Select(v => v / 1000.0);
        var leaf = Gen.OneOf(
            time.Select(q => (Distribution)new ConstantDistribution(q)),
            time.Select(q => (Distribution)new ExponentialDistribution(q)),
            time.Zip(positive).Select(t => (Distribution)new LogNormalDistribution(t.Item1, t.Item2)),
            positive.Zip(time).Select(t => (Distribution)new GammaDistribution(t.Item1, t.Item2)),
            weibullShape.Zip(time).Select(t => (Distribution)new WeibullDistribution(t.Item1, t.Item2)),
            ns.Zip(ns).Select(t => (Distribution)new UniformDistribution(Quantity.Ns(Math.Min(t.Item1.Value, t.Item2.Value)), Quantity.Ns(Math.Max(t.Item1.Value, t.Item2.Value)))),
            ns.Zip(ns).Select(t => (Distribution)new TruncatedNormalDistribution(t.Item1, t.Item2)),
            Gen.NonEmptyListOf(ns).Select(l => (Distribution)new EmpiricalDistribution(l.ToEquatableArray())));
        var mixture = from parts in Gen.ListOf(leaf).Where(l => l.Count is > 0 and < 5)
                      select (Distribution)new MixtureDistribution(parts
                          .Select((p, i) => new MixtureComponent(i == parts.Count - 1 ? 1 - (parts.Count - 1) * 0.125 : 0.125, p)).ToEquatableArray());
        return Gen.Frequency((5, leaf), (1, mixture)).ToArbitrary();
    }

    [FsCheck.Xunit.Property(Arbitrary = [typeof(DistributionParserTests)], MaxTest = 300)]
    public bool Format_then_parse_is_lossless(Distribution d) => DistributionParser.Parse(d.Format()) == d;
}
