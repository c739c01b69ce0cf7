using System.Globalization;
using System.Text.RegularExpressions;
using ExitSim.Optimisations;
using ExitSim.Running;
using ExitSim.Scenarios;
using ExitSim.Sweeps;
using ExitSim.Units;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Evidence;

/// <summary>
/// Reads the case files of <c>validation/published/</c> (one YAML per published result; the shared
/// parameter sets in its <c>parameters/</c> folder), checking every key. Each arm's scenario is built
/// and checked here, so a bad case is found before anything runs. Every problem is a
/// <see cref="ScenarioException"/> located at file:line:col.
/// </summary>
public static partial class EvidenceCaseLoader
{
    /// <summary>Where the shared parameter sets live, relative to the case folder.</summary>
    public const string ParametersFolder = "parameters";

    /// <summary>Every case file directly in <paramref name="folder"/>, in id order; two files with one id are an error.</summary>
    public static IReadOnlyList<EvidenceCase> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new ScenarioException(folder, 1, 1, "no such folder (the cases are in validation/published/ at the repository root)");
        var cases = new List<EvidenceCase>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var c = LoadFile(file);
            if (cases.FirstOrDefault(x => x.Id == c.Id) is { } other)
                throw new ScenarioException(file, 1, 1, $"case id '{c.Id}' is already used by {other.File} (each case has its own id)");
            cases.Add(c);
        }
        return cases.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
    }

    public static EvidenceCase LoadFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException(path, 1, 1, File.Exists(path) ? $"cannot read the case ({e.Message.TrimEnd('.')})" : "no such file");
        }
        return Parse(text, path);
    }

    public static EvidenceCase Parse(string text, string file)
    {
        var top = new YamlSection(ScenarioLoader.LoadRoot(text, file), file, "");
        string id = Text(top, "id", "PC-12");
        if (!IdPattern().IsMatch(id)) throw top.Error(top["id"]!, $"id '{id}': write letters, digits and dashes, e.g. PC-12");
        var statusNode = top["status"];
        string statusText = statusNode is null ? "expressible" : Scalar(top, statusNode);
        var status = statusText switch
        {
            "expressible" => CaseStatus.Expressible,
            "not-expressible" => CaseStatus.NotExpressible,
            _ => throw top.Error(statusNode!, $"status '{statusText}': write expressible or not-expressible"),
        };
        string? needs = top["needs"] is { } n ? Scalar(top, n) : null;
        if (status == CaseStatus.NotExpressible && string.IsNullOrWhiteSpace(needs))
            throw top.Error(statusNode!, "a not-expressible case says which mechanism is missing (e.g. needs: nested virtualisation)");
        if (status == CaseStatus.Expressible && needs is not null)
            throw top.Error(top["needs"]!, "needs: is for a not-expressible case (write status: not-expressible, or remove needs:)");
        var c = new EvidenceCase
        {
            Id = id,
            Title = Text(top, "title", "Fixed cost of a CPUID exit"),
            Mechanism = Text(top, "mechanism", "exit fixed cost"),
            Source = ReadSource(Section(top, "source")),
            Published = ReadPublished(Section(top, "published")),
            Status = status,
            Needs = needs,
            Assumes = top["assumes"] is { } a ? ReadAssumes(top, a) : [],
            File = file,
        };
        if (top["check"] is { } check) c = c with { Check = Scalar(top, check).Trim() };
        if (status == CaseStatus.NotExpressible)
        {
            foreach (var key in new[] { "arms", "figure", "run", "parameters" })
                if (top[key] is { } extra) throw top.Error(extra, $"a not-expressible case has no {key}: (describe the intended comparison under check:)");
            // The band it will be judged by once expressible, shown on the scoreboard.
            var intended = top["band"] is not null ? ReadBand(Section(top, "band"), c.Published.Value) : null;
            top.RejectUnknownKeys();
            return c with { Band = intended };
        }
        string? parameters = top["parameters"] is { } p ? Scalar(top, p) : null;
        var baseMap = parameters is null ? new YamlMappingNode() : LoadParameters(top, parameters, file);
        var run = top.Required("run", "{ duration: 20ms, warmup: 2ms, replications: 10, seed: 1 }") as YamlMappingNode
                  ?? throw top.Error(top["run"]!, "run: is a section (duration, warmup, replications, seed)");
        var arms = ReadArms(top, baseMap, run, id, file);
        var figure = ReadFigure(Section(top, "figure"), arms);
        if (figure.Unit != c.Published.Unit)
            throw top.Error(top["published"]!, $"published.unit '{c.Published.Unit}' differs from the figure's unit '{figure.Unit}' (compare like with like)");
        var band = ReadBand(Section(top, "band"), c.Published.Value);
        top.RejectUnknownKeys();
        return c with { Arms = arms, Figure = figure, Band = band, Parameters = parameters };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*$")]
    private static partial Regex IdPattern();

    private static CaseSource ReadSource(YamlSection s)
    {
        var source = new CaseSource(Text(s, "title", "\"[PATCH] KVM: ...\""), Text(s, "venue", "kvm@vger.kernel.org"),
            Text(s, "date", "2024-12-12"), s["table"] is { } t ? Scalar(s, t) : null);
        s.RejectUnknownKeys();
        return source;
    }

    private static PublishedFigure ReadPublished(YamlSection s)
    {
        var p = new PublishedFigure(Number(s, "value"), Text(s, "unit", "cyc"), Text(s, "text", "\"1,018 cycles\""));
        s.RejectUnknownKeys();
        return p;
    }

    private static CaseAssumption[] ReadAssumes(YamlSection top, YamlNode node)
    {
        if (node is not YamlSequenceNode list) throw top.Error(node, "assumes: is a list of { name, value, source }");
        return list.Children.Select((item, i) =>
        {
            if (item is not YamlMappingNode m) throw top.Error(item, "each assumption is { name: …, value: …, source: … }");
            var s = new YamlSection(m, top.File, $"assumes[{i}]");
            var a = new CaseAssumption(Text(s, "name", "guest work per tick"), Text(s, "value", "2us"), Text(s, "source", "\"assumed, within 1-3 us (...)\""));
            s.RejectUnknownKeys();
            return a;
        }).ToArray();
    }

    private static YamlMappingNode LoadParameters(YamlSection top, string name, string file)
    {
        var node = top["parameters"]!;
        if (!IdPattern().IsMatch(name)) throw top.Error(node, $"parameters '{name}': give the name of a file in {ParametersFolder}/ without .yaml");
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, ParametersFolder, name + ".yaml");
        if (!File.Exists(path)) throw top.Error(node, $"parameters '{name}': no file {ParametersFolder}/{name}.yaml next to the case");
        return ScenarioLoader.LoadRoot(File.ReadAllText(path), path);
    }

    private static CaseFigure ReadFigure(YamlSection s, IReadOnlyList<CaseArm> arms)
    {
        string kindText = Text(s, "kind", "value");
        var kind = kindText switch
        {
            "value" => FigureKind.Value, "ratio" => FigureKind.Ratio, "delta" => FigureKind.Delta, "reduction" => FigureKind.Reduction,
            _ => throw s.Error(s["kind"]!, $"figure.kind '{kindText}': write value, ratio, delta or reduction"),
        };
        string metricName = Text(s, "metric", "mean_exit_latency_ns");
        var metric = MetricTable.Find(metricName)
            ?? throw s.Error(s["metric"]!, $"figure.metric '{metricName}' is not a metric ({HintFor(metricName, MetricTable.Named.Select(m => m.Name))})");
        bool cycles = false;
        if (s["in"] is { } inNode)
        {
            string unit = Scalar(s, inNode);
            if (unit != "cyc") throw s.Error(inNode, $"figure.in '{unit}': the only conversion is cyc (a time metric in cycles of the arm's host)");
            if (metric.Unit != "ns") throw s.Error(inNode, $"figure.in: cyc converts a time, and {metric.Name} is in {metric.Unit}");
            cycles = true;
        }
        string ArmName(string key)
        {
            var node = s.Required(key, arms[0].Name);
            string name = Scalar(s, node);
            return arms.Any(a => a.Name == name) ? name
                : throw s.Error(node, $"figure.{key} '{name}' is not an arm ({HintFor(name, arms.Select(a => a.Name))})");
        }
        string after = ArmName(kind == FigureKind.Value ? "arm" : "after");
        string? before = kind == FigureKind.Value ? null : ArmName("before");
        double? identity = s["identity"] is not null ? Number(s, "identity") : null;
        s.RejectUnknownKeys();
        return new CaseFigure(kind, metric, cycles, after, before, identity);
    }

    private static ToleranceBand ReadBand(YamlSection s, double published)
    {
        string reason = Text(s, "reason", "\"±10 % on a microbenchmark ratio\"");
        double low, high;
        if (s["tolerance"] is { } t)
        {
            string text = Scalar(s, t);
            double? share = text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double pct) ? pct / 100 : null;
            if (share is not ({ } f and > 0 and < 1)) throw s.Error(t, $"band.tolerance '{text}': write a share of the published figure, e.g. 10%");
            if (s["low"] is not null || s["high"] is not null) throw s.Error(t, "give band.tolerance or band.low and band.high, not both");
            (low, high) = (published - Math.Abs(published) * f, published + Math.Abs(published) * f);
        }
        else
        {
            low = Number(s, "low");
            high = Number(s, "high");
            if (low > high) throw s.Error(s["high"]!, $"band.high {high} is below band.low {low}");
        }
        s.RejectUnknownKeys();
        return new ToleranceBand(low, high, reason);
    }

    internal static YamlSection Section(YamlSection parent, string key)
    {
        var node = parent.Required(key, "{ … }");
        return node is YamlMappingNode m ? new YamlSection(m, parent.File, key)
            : throw parent.Error(node, $"{key}: is a section of keys, not a single value");
    }

    internal static string Text(YamlSection s, string key, string example)
    {
        string v = Scalar(s, s.Required(key, example));
        return v.Trim().Length > 0 ? v.Trim() : throw s.Error(s[key]!, $"'{key}' is empty (e.g. {key}: {example})");
    }

    internal static string Scalar(YamlSection s, YamlNode node) =>
        node is YamlScalarNode { Value: { } v } ? v : throw s.Error(node, "expected a single value here, not a list or a section");

    private static double Number(YamlSection s, string key)
    {
        var node = s.Required(key, "1018");
        string text = Scalar(s, node).Replace("_", "");
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw s.Error(node, $"'{key}' is '{text}', expected a number (in the figure's unit, without the unit)");
    }

    internal static string HintFor(string name, IEnumerable<string> known) =>
        Suggest.Closest(name, known) is { } near ? $"did you mean '{near}'?" : "known: " + string.Join(", ", known);
}
