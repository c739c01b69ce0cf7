using System.Globalization;
using ExitSim.Scenarios;
using ExitSim.Units;

namespace ExitSim.Distributions;

/// <summary>
/// Reads the distribution syntax of scenarios:
/// <c>2us</c>, <c>const(300cyc)</c>, <c>exp(500ns)</c>, <c>exp(rate=25k/s)</c>, <c>lognormal(mean=2us, cv=0.8)</c>,
/// <c>gamma(shape=2, mean=1us)</c>, <c>gamma(mean=1us, cv=0.5)</c>, <c>weibull(shape=1.5, scale=2us)</c>, <c>uniform(1us, 3us)</c>,
/// <c>normal(mean=2us, sd=0.5us)</c>, <c>empirical(1us, 2us)</c>, <c>empirical(file=x.csv)</c>,
/// <c>mix(0.6: const(0), 0.4: exp(2us))</c>. Errors carry the offset of the offending text.
/// </summary>
public sealed class DistributionParser
{
    public static readonly string[] Families = ["const", "exp", "lognormal", "gamma", "weibull", "uniform", "normal", "empirical", "mix"];

    private readonly string _s;
    private readonly string? _baseDirectory;
    private int _pos;
    /// <summary>How many mix( are open around the current position.</summary>
    private int _mixDepth;

    private DistributionParser(string text, string? baseDirectory) { _s = text; _baseDirectory = baseDirectory; }

    /// <summary>Parses a time distribution; <paramref name="baseDirectory"/> resolves <c>empirical(file=…)</c>.</summary>
    public static Distribution Parse(string text, string? baseDirectory = null)
    {
        var p = new DistributionParser(text, baseDirectory);
        var d = p.ParseDistribution();
        p.SkipSpaces();
        if (p._pos < p._s.Length)
            throw new DistributionSyntaxException($"unexpected '{p._s[p._pos..]}' after the distribution (one distribution per value, e.g. exp(2us))", p._pos);
        return d;
    }

    private void SkipSpaces() { while (_pos < _s.Length && char.IsWhiteSpace(_s[_pos])) _pos++; }

    private Distribution ParseDistribution()
    {
        SkipSpaces();
        int start = _pos;
        int i = _pos;
        while (i < _s.Length && (char.IsAsciiLetter(_s[i]) || _s[i] == '_')) i++;
        string name = _s[start..i];
        int j = i;
        while (j < _s.Length && char.IsWhiteSpace(_s[j])) j++;
        if (name.Length == 0 || j >= _s.Length || _s[j] != '(')
        {
            // A bare quantity is a constant.
            var (text, at) = ReadValue();
            if (text.Length == 0) throw new DistributionSyntaxException("expected a distribution (such as exp(500ns), or a time such as 2us)", at);
            return new ConstantDistribution(NonNegativeTime(text, at));
        }
        _pos = j + 1;
        bool mix = name is "mix" or "mixture";
        if (mix && ++_mixDepth > ScenarioLimits.MaxDistributionDepth)
            throw new DistributionSyntaxException($"mix(…) nested more than {ScenarioLimits.MaxDistributionDepth} deep (a mixture of mixtures is one mixture: multiply the weights out)", start);
        var args = ReadArguments(name, start);
        if (mix) _mixDepth--;
        return Build(name, start, args);
    }

    private sealed record Arg(string? Name, string Text, int Offset, Distribution? Nested = null, double Weight = 0);

    private List<Arg> ReadArguments(string family, int familyAt)
    {
        var args = new List<Arg>();
        bool isMix = family is "mix" or "mixture";
        SkipSpaces();
        if (_pos < _s.Length && _s[_pos] == ')') { _pos++; return args; }
        while (true)
        {
            SkipSpaces();
            int at = _pos;
            if (isMix)
            {
                int colon = _s.IndexOf(':', _pos);
                if (colon < 0) throw new DistributionSyntaxException("a mixture component is written 'weight: distribution' (e.g. 0.4: exp(2us))", at);
                if (args.Count == ScenarioLimits.MaxMixtureComponents)
                    throw new DistributionSyntaxException($"a mixture has at most {ScenarioLimits.MaxMixtureComponents} components (use empirical(file=…) for many values)", at);
                string w = _s[_pos..colon].Trim();
                if (!double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) || !(weight > 0) || weight > 1)
                    throw new DistributionSyntaxException($"mixture weight '{w}' must be a probability in (0, 1] (e.g. 0.4: exp(2us))", at);
                _pos = colon + 1;
                var part = ParseDistribution();
                args.Add(new Arg(null, "", at, part, weight));
            }
            else
            {
                int k = _pos;
                while (k < _s.Length && (char.IsAsciiLetter(_s[k]) || _s[k] == '_')) k++;
                int eq = k;
                while (eq < _s.Length && char.IsWhiteSpace(_s[eq])) eq++;
                string? name = null;
                if (k > _pos && eq < _s.Length && _s[eq] == '=')
                {
                    name = _s[_pos..k];
                    _pos = eq + 1;
                    SkipSpaces();
                }
                var (text, valueAt) = ReadValue();
                if (text.Length == 0) throw new DistributionSyntaxException($"missing value in {family}(…) (e.g. {Example(family)})", valueAt);
                args.Add(new Arg(name, text, name is null ? valueAt : at));
            }
            SkipSpaces();
            if (_pos >= _s.Length) throw new DistributionSyntaxException($"missing ')' to close {family}(", familyAt);
            char c = _s[_pos++];
            if (c == ')') return args;
            if (c != ',') throw new DistributionSyntaxException($"expected ',' or ')' in {family}(…), got '{c}' (e.g. {Example(family)})", _pos - 1);
        }
    }

    /// <summary>Reads raw text up to the next ',' or ')' at nesting depth 0.</summary>
    private (string Text, int Offset) ReadValue()
    {
        SkipSpaces();
        int start = _pos, depth = 0;
        while (_pos < _s.Length)
        {
            char c = _s[_pos];
            if (c == '(') depth++;
            else if (c == ')') { if (depth == 0) break; depth--; }
            else if (c == ',' && depth == 0) break;
            _pos++;
        }
        return (_s[start.._pos].TrimEnd(), start);
    }

    private Distribution Build(string family, int at, List<Arg> args)
    {
        switch (family)
        {
            case "const" or "constant":
                return new ConstantDistribution(NonNegativeTime(Single(args, family, at, "value").Text, Single(args, family, at, "value").Offset));
            case "exp" or "exponential":
            {
                Expect(args, family, ["mean", "rate"], 1);
                var rate = Named(args, "rate");
                if (rate is not null)
                {
                    double? r = UnitParser.Rate(rate.Text, out var err);
                    if (r is null) throw new DistributionSyntaxException(err!, rate.Offset);
                    if (!(r > 0)) throw new DistributionSyntaxException("rate must be positive (e.g. exp(rate=25k/s))", rate.Offset);
                    return new ExponentialDistribution(Quantity.Ns(1e9 / r.Value));
                }
                var mean = Named(args, "mean") ?? Positional(args, 0) ?? throw new DistributionSyntaxException("exp needs its mean (e.g. exp(500ns))", at);
                return new ExponentialDistribution(PositiveTime(mean.Text, mean.Offset));
            }
            case "lognormal" or "lognorm":
            {
                Expect(args, family, ["mean", "cv", "sd"], 0);
                var mean = Required(args, "mean", family, at);
                var m = PositiveTime(mean.Text, mean.Offset);
                var sd = Named(args, "sd");
                double cv;
                if (sd is not null)
                {
                    var s = NonNegativeTime(sd.Text, sd.Offset);
                    if (s.Unit != m.Unit) throw new DistributionSyntaxException("give mean and sd in the same kind of unit (both times or both cycles)", sd.Offset);
                    cv = s.Value / m.Value;
                    if (cv > ScenarioLimits.MaxCv) throw new DistributionSyntaxException($"sd is {UnitFormat.Number(cv)} times the mean (at most {ScenarioLimits.MaxCv:0} times: a lognormal beyond cannot be sampled)", sd.Offset);
                }
                else
                {
                    var cvArg = Required(args, "cv", family, at);
                    cv = NonNegativeNumber(cvArg);
                    if (cv > ScenarioLimits.MaxCv) throw new DistributionSyntaxException($"cv {cvArg.Text} is too large (at most {ScenarioLimits.MaxCv:0}: a lognormal beyond cannot be sampled)", cvArg.Offset);
                }
                return new LogNormalDistribution(m, cv);
            }
            case "gamma":
            {
                Expect(args, family, ["shape", "mean", "scale", "cv"], 0);
                var shapeArg = Named(args, "shape");
                var cvArg = Named(args, "cv");
                var meanArg = Named(args, "mean");
                var scaleArg = Named(args, "scale");
                double shape = shapeArg is not null ? PositiveNumber(shapeArg)
                    : cvArg is not null ? 1 / Math.Pow(PositiveNumber(cvArg), 2)
                    : throw new DistributionSyntaxException("gamma needs shape= (or cv=) (e.g. gamma(shape=2, mean=1us))", at);
                if (!(shape >= ScenarioLimits.MinGammaShape && shape <= ScenarioLimits.MaxGammaShape))
                    throw new DistributionSyntaxException(shapeArg is not null
                        ? $"gamma shape {shapeArg.Text} is out of range (from {UnitFormat.Number(ScenarioLimits.MinGammaShape)} to {UnitFormat.Number(ScenarioLimits.MaxGammaShape)}: beyond, samples underflow or overflow)"
                        : $"gamma cv {cvArg!.Text} is out of range (from {UnitFormat.Number(1 / Math.Sqrt(ScenarioLimits.MaxGammaShape))} to {UnitFormat.Number(1 / Math.Sqrt(ScenarioLimits.MinGammaShape))}: beyond, samples underflow or overflow)",
                        (shapeArg ?? cvArg)!.Offset);
                Quantity mean;
                if (meanArg is not null) mean = PositiveTime(meanArg.Text, meanArg.Offset);
                else if (scaleArg is not null)
                {
                    var sc = PositiveTime(scaleArg.Text, scaleArg.Offset);
                    mean = Bounded(sc with { Value = sc.Value * shape }, "gamma's mean (shape × scale)", scaleArg.Offset);
                }
                else throw new DistributionSyntaxException("gamma needs mean= (or scale=) (e.g. gamma(shape=2, mean=1us))", at);
                return new GammaDistribution(shape, mean);
            }
            case "weibull":
            {
                Expect(args, family, ["shape", "scale"], 0);
                var shapeArg = Required(args, "shape", family, at);
                double shape = PositiveNumber(shapeArg);
                if (!(shape >= ScenarioLimits.MinWeibullShape && shape <= ScenarioLimits.MaxWeibullShape))
                    throw new DistributionSyntaxException($"weibull shape {shapeArg.Text} is out of range (from {UnitFormat.Number(ScenarioLimits.MinWeibullShape)} to {UnitFormat.Number(ScenarioLimits.MaxWeibullShape)}: beyond, samples underflow or overflow)", shapeArg.Offset);
                var scale = Required(args, "scale", family, at);
                var w = new WeibullDistribution(shape, PositiveTime(scale.Text, scale.Offset));
                _ = Bounded(w.Scale with { Value = w.Mean(1) }, "weibull's mean (scale × Γ(1 + 1/shape))", scale.Offset);
                return w;
            }
            case "uniform":
            {
                Expect(args, family, ["low", "high", "min", "max"], 2);
                var lo = Named(args, "low") ?? Named(args, "min") ?? Positional(args, 0) ?? throw new DistributionSyntaxException("uniform needs two bounds (e.g. uniform(1us, 3us))", at);
                var hi = Named(args, "high") ?? Named(args, "max") ?? Positional(args, Named(args, "low") is null && Named(args, "min") is null ? 1 : 0)
                    ?? throw new DistributionSyntaxException("uniform needs two bounds (e.g. uniform(1us, 3us))", at);
                var l = NonNegativeTime(lo.Text, lo.Offset);
                var h = NonNegativeTime(hi.Text, hi.Offset);
                if (l.Unit != h.Unit) throw new DistributionSyntaxException("give both bounds in the same kind of unit (both times or both cycles)", hi.Offset);
                if (h.Value < l.Value) throw new DistributionSyntaxException($"upper bound {h} is below lower bound {l} (low first: uniform(1us, 3us))", hi.Offset);
                return new UniformDistribution(l, h);
            }
            case "normal" or "truncnormal":
            {
                Expect(args, family, ["mean", "sd"], 0);
                var mean = Required(args, "mean", family, at);
                var sd = Required(args, "sd", family, at);
                var m = NonNegativeTime(mean.Text, mean.Offset);
                var s = PositiveTime(sd.Text, sd.Offset);
                return new TruncatedNormalDistribution(m, s);
            }
            case "empirical":
            {
                var file = Named(args, "file");
                if (file is not null)
                {
                    if (args.Count > 1) throw new DistributionSyntaxException("empirical takes either file= or inline values, not both (e.g. empirical(file=costs.csv))", args[1].Offset);
                    return new EmpiricalDistribution(ReadCsv(file.Text, file.Offset), file.Text);
                }
                if (args.Count == 0) throw new DistributionSyntaxException("empirical needs values (e.g. empirical(1us, 2us, 5us), or empirical(file=costs.csv))", at);
                var bad = args.FirstOrDefault(a => a.Name is not null);
                if (bad is not null) throw new DistributionSyntaxException($"unknown argument '{bad.Name}' for empirical (use inline values or file=)", bad.Offset);
                return new EmpiricalDistribution(args.Select(a => NonNegativeTime(a.Text, a.Offset)).ToEquatableArray());
            }
            case "mix" or "mixture":
            {
                if (args.Count == 0) throw new DistributionSyntaxException("mix needs components (e.g. mix(0.6: const(0), 0.4: exp(2us)))", at);
                double sum = args.Sum(a => a.Weight);
                if (Math.Abs(sum - 1) > 1e-9)
                    throw new DistributionSyntaxException($"mixture weights sum to {sum.ToString("0.######", CultureInfo.InvariantCulture)}, they must sum to 1 (e.g. mix(0.6: const(0), 0.4: exp(2us)))", at);
                return new MixtureDistribution(args.Select(a => new MixtureComponent(a.Weight, a.Nested!)).ToEquatableArray());
            }
            default:
                string? near = Suggest.Closest(family, Families);
                throw new DistributionSyntaxException(
                    $"unknown distribution '{family}'" + (near is null ? $" (known: {string.Join(", ", Families)})" : $" (did you mean '{near}'?)"), at);
        }
    }

    private EquatableArray<Quantity> ReadCsv(string file, int at)
    {
        string path = Path.IsPathRooted(file) || _baseDirectory is null ? file : Path.Combine(_baseDirectory, file);
        if (!File.Exists(path)) throw new DistributionSyntaxException($"empirical file '{file}' not found (paths are relative to the scenario file)", at);
        if (BoundedFile.NotAFile(path) is { } kind)
            throw new DistributionSyntaxException($"empirical file '{file}' is {kind}, not a file (give a CSV file of values, one per line)", at);
        string? content;
        try { content = BoundedFile.ReadText(path, ScenarioLimits.MaxEmpiricalFileBytes); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DistributionSyntaxException($"cannot read empirical file '{file}' ({e.Message.TrimEnd('.')})", at);
        }
        if (content is null)
            throw new DistributionSyntaxException($"empirical file '{file}' is larger than {BoundedFile.Describe(ScenarioLimits.MaxEmpiricalFileBytes)} (the limit: give at most {ScenarioLimits.MaxEmpiricalValues:N0} values, one per line)", at);
        var values = new List<Quantity>();
        string defaultUnit = "ns";
        int lineNo = 0;
        foreach (var raw in content.Split('\n'))
        {
            lineNo++;
            string line = raw.Split('#')[0].Trim().TrimEnd(',');
            if (line.Length == 0) continue;
            if (values.Count == 0 && UnitParser.SplitNumber(line) is null)
            {
                string h = line.Trim().ToLowerInvariant();
                defaultUnit = h switch { "ns" or "us" or "ms" or "s" or "cyc" => h, "cycles" => "cyc", _ => defaultUnit };
                continue; // header
            }
            string cell = line.Split(',')[0].Trim();
            var split = UnitParser.SplitNumber(cell);
            string text = split is { Unit: "" } ? cell + defaultUnit : cell;
            var q = UnitParser.Time(text, out var err);
            if (q is null || q.Value.Value < 0)
                throw new DistributionSyntaxException($"{file}:{lineNo}: {err ?? "values must not be negative (one time per line, e.g. 2.5us)"}", at);
            if (values.Count == ScenarioLimits.MaxEmpiricalValues)
                throw new DistributionSyntaxException($"empirical file '{file}' has more than {ScenarioLimits.MaxEmpiricalValues:N0} values (the limit: a sample of them describes the distribution as well)", at);
            values.Add(q.Value);
        }
        if (values.Count == 0) throw new DistributionSyntaxException($"empirical file '{file}' has no values (one time per line, e.g. 2.5us)", at);
        return values.ToEquatableArray();
    }

    private static void Expect(List<Arg> args, string family, string[] names, int maxPositional)
    {
        int positional = 0;
        foreach (var a in args)
        {
            if (a.Name is null) { positional++; continue; }
            if (!names.Contains(a.Name))
            {
                string? near = Suggest.Closest(a.Name, names);
                throw new DistributionSyntaxException($"unknown argument '{a.Name}' for {family}" + (near is null ? $" (use {string.Join(", ", names)})" : $" (did you mean '{near}'?)"), a.Offset);
            }
            if (args.Count(b => b.Name == a.Name) > 1) throw new DistributionSyntaxException($"argument '{a.Name}' given twice (e.g. {Example(family)})", a.Offset);
        }
        if (positional > maxPositional)
            throw new DistributionSyntaxException(maxPositional == 0
                ? $"{family} takes named arguments ({string.Join("=, ", names)}=; e.g. {Example(family)})"
                : $"{family} takes at most {maxPositional} unnamed argument(s) (e.g. {Example(family)})", args.First(a => a.Name is null).Offset);
    }

    private static Arg? Named(List<Arg> args, string name) => args.FirstOrDefault(a => a.Name == name);
    private static Arg? Positional(List<Arg> args, int index) => args.Where(a => a.Name is null).ElementAtOrDefault(index);
    private static Arg Required(List<Arg> args, string name, string family, int at) =>
        Named(args, name) ?? throw new DistributionSyntaxException($"{family} needs {name}= (e.g. {Example(family)})", at);

    private static Arg Single(List<Arg> args, string family, int at, string what)
    {
        if (args.Count != 1) throw new DistributionSyntaxException($"{family} takes one {what} (e.g. {family}(300cyc))", at);
        return args[0];
    }

    private static Quantity NonNegativeTime(string text, int at)
    {
        var q = UnitParser.Time(text, out var err);
        if (q is null) throw new DistributionSyntaxException(err!, at);
        if (q.Value.Value < 0) throw new DistributionSyntaxException($"a time cannot be negative ('{text}'; e.g. 2us)", at);
        return q.Value;
    }

    private static Quantity PositiveTime(string text, int at)
    {
        var q = NonNegativeTime(text, at);
        if (q.Value == 0) throw new DistributionSyntaxException($"must be greater than zero ('{text}'; e.g. 2us)", at);
        return q;
    }

    /// <summary>A time computed from the arguments, within the limit of any time (its unit's).</summary>
    private static Quantity Bounded(Quantity q, string what, int at)
    {
        double limit = q.Unit == QuantityUnit.Cycles ? ScenarioLimits.MaxCycles : ScenarioLimits.MaxTimeNs;
        if (!(q.Value <= limit)) throw new DistributionSyntaxException($"{what} is {q} (a time is at most 24h, or 1e12cyc)", at);
        return q;
    }

    /// <summary>A valid example of the family, for hints.</summary>
    private static string Example(string family) => family switch
    {
        "exp" or "exponential" => "exp(500ns)",
        "lognormal" or "lognorm" => "lognormal(mean=2us, cv=0.8)",
        "gamma" => "gamma(shape=2, mean=1us)",
        "weibull" => "weibull(shape=1.5, scale=2us)",
        "uniform" => "uniform(1us, 3us)",
        "normal" or "truncnormal" => "normal(mean=2us, sd=0.5us)",
        "empirical" => "empirical(1us, 2us, 5us)",
        "mix" or "mixture" => "mix(0.6: const(0), 0.4: exp(2us))",
        _ => "const(300cyc)",
    };

    private static double NonNegativeNumber(Arg a)
    {
        if (!double.TryParse(a.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new DistributionSyntaxException($"'{a.Name}' must be a plain number, got '{a.Text}' (e.g. {a.Name}=0.8)", a.Offset);
        if (v < 0) throw new DistributionSyntaxException($"'{a.Name}' cannot be negative (e.g. {a.Name}=0.8)", a.Offset);
        return v;
    }

    private static double PositiveNumber(Arg a)
    {
        double v = NonNegativeNumber(a);
        if (v == 0) throw new DistributionSyntaxException($"'{a.Name}' must be greater than zero (e.g. {a.Name}=2)", a.Offset);
        return v;
    }
}
