using System.Globalization;
using System.Text.RegularExpressions;
using ExitSim.Reports;
using ExitSim.Running;
using ExitSim.Scenarios;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Tests.Scenarios;

/// <summary>
/// Shipped scenarios with one thing changed — each value replaced by 0, -1, 1e308, a word, an
/// overflowing time…, each number scaled by 10^±6, each key's line dropped. Every mutant that
/// validate refuses gets one located line with a hint; every one it accepts runs (briefly) and
/// reports finite numbers in every format: validate catches what run would refuse.
/// </summary>
public class ScenarioMutationTests
{
    private static readonly string[] Values = ["0", "-1", "1e308", "1e-308", "\"\"", "abc", "1e300s", "1e-300s", "1e15/s", ".nan", "0ns", "[1, 2]", "{ a: 1 }"];
    private static readonly double[] Scales = [1e6, 1e-6];
    /// <summary>Mutants whose brief run is estimated above this are within the limits but too long for a unit test.</summary>
    private const double TestEventBudget = 2e7;

    public static TheoryData<string> Scenarios => new(
        Path.Combine("classroom", "01-what-is-an-exit.yaml"), Path.Combine("classroom", "04-io-devices.yaml"),
        Path.Combine("classroom", "06-memory.yaml"), "database.yaml");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_mutant_is_refused_with_a_located_hint_or_runs(string scenario)
    {
        string file = Repo.Path("scenarios", scenario);
        var failures = new List<string>();
        int refused = 0, ran = 0;
        foreach (var (what, text) in Mutants(File.ReadAllText(file)))
        {
            Scenario s;
            try { s = ScenarioLoader.Parse(text, file); }
            catch (ScenarioException e)
            {
                refused++;
                if (!Regex.IsMatch(e.Located, @"^.+:\d+:\d+: [^\n]+ \([^\n]+\)$") || e.Line < 1 || e.Column < 1)
                    failures.Add($"{what}: not one located line with a hint: {e.Located}");
                continue;
            }
            catch (Exception e)
            {
                failures.Add($"{what}: validate failed with {e.GetType().Name}: {e.Message}");
                continue;
            }
            var options = new RunOptions { DurationNs = 1e6, Replications = 1, Threads = 1 };
            if (WorkEstimate.Events(ExperimentRunner.Apply(s, options)) > TestEventBudget) continue;
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                var report = ReportBuilder.Build(ExperimentRunner.Run(s, options, cancel: cancel.Token));
                foreach (var format in ReportFormats.Supported)
                {
                    string output = ReportFormats.Format(report, format);
                    if (output.Contains("NaN") || output.Contains("Infinity") || output.Contains('∞'))
                        failures.Add($"{what}: the {format} report has a non-finite number");
                }
                ran++;
            }
            catch (OperationCanceledException) { failures.Add($"{what}: passes validate but a 1 ms run is not done in 10 s"); }
            catch (Exception e) { failures.Add($"{what}: passes validate but run fails with {e.GetType().Name}: {e.Message}"); }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
        Assert.True(refused > 100 && ran > 10, $"{refused} refused, {ran} ran: the mutants should exercise both");
    }

    /// <summary>(what changed, the scenario's text with it changed).</summary>
    private static IEnumerable<(string What, string Text)> Mutants(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var scalars = new List<YamlScalarNode>();
        void Walk(YamlNode n)
        {
            switch (n)
            {
                case YamlScalarNode s: scalars.Add(s); break;
                case YamlSequenceNode q: foreach (var c in q) Walk(c); break;
                case YamlMappingNode m: foreach (var (k, v) in m.Children) { Walk(k); Walk(v); } break;
            }
        }
        Walk(yaml.Documents[0].RootNode);
        foreach (var s in scalars)
        {
            int a = (int)s.Start.Index, b = (int)s.End.Index;
            string where = $"line {s.Start.Line} '{s.Value}'";
            foreach (var v in Values) yield return ($"{where} → {v}", text[..a] + v + text[b..]);
            if (s.Value is { } value && Regex.IsMatch(value, @"\d"))
                foreach (var f in Scales)
                {
                    string scaled = Regex.Replace(value, @"\d+(\.\d+)?", m => (double.Parse(m.Value, CultureInfo.InvariantCulture) * f).ToString("R", CultureInfo.InvariantCulture));
                    yield return ($"{where} × {f:R}", text[..a] + "\"" + scaled + "\"" + text[b..]);
                }
        }
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].TrimStart() is { Length: > 0 } t && !t.StartsWith('#') && t.Contains(':'))
                yield return ($"line {i + 1} dropped", string.Join('\n', lines.Where((_, j) => j != i)));
    }
}
