using ExitSim.Optimisations;
using ExitSim.Scenarios;
using ExitSim.Sweeps;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Evidence;

public static partial class EvidenceCaseLoader
{
    /// <summary>
    /// The arms: each is the parameter set, overlaid by its <c>scenario:</c> (inline, or <c>file:</c> relative
    /// to the case) or by the arm it starts <c>from:</c>, then the case's <c>run:</c>; then its <c>set:</c>
    /// keys and <c>with:</c> plug-ins (an arm started from another keeps that arm's too).
    /// </summary>
    private static CaseArm[] ReadArms(YamlSection top, YamlMappingNode parameters, YamlMappingNode run, string id, string file)
    {
        var node = top.Required("arms", "{ before: { scenario: { … } }, after: { from: before, with: [apicv] } }");
        if (node is not YamlMappingNode armsMap || armsMap.Children.Count == 0)
            throw top.Error(node, "arms: is a section with one entry per arm (name: { scenario: … })");
        var built = new List<(CaseArm Arm, YamlMappingNode Map, List<(string, string)> Set)>();
        foreach (var (keyNode, value) in armsMap.Children)
        {
            string name = ((YamlScalarNode)keyNode).Value ?? "";
            if (value is not YamlMappingNode armNode) throw top.Error(value, $"arm '{name}' is a section (scenario:, from:, set:, with:)");
            var s = new YamlSection(armNode, file, $"arms.{name}");
            YamlMappingNode map;
            var set = new List<(string, string)>();
            var with = new List<string>();
            if (s["from"] is { } fromNode)
            {
                string from = Scalar(s, fromNode);
                var origin = built.FirstOrDefault(b => b.Arm.Name == from);
                if (origin.Arm is null) throw s.Error(fromNode, $"from '{from}': no arm of that name above this one ({HintFor(from, built.Select(b => b.Arm.Name))})");
                if (s["scenario"] is { } both) throw s.Error(both, "an arm gives scenario: or from:, not both");
                map = origin.Map;
                set.AddRange(origin.Set);
                with.AddRange(origin.Arm.With);
            }
            else
            {
                var own = s["scenario"] switch
                {
                    YamlMappingNode m => m,
                    YamlScalarNode { Value: { } path } sc => LoadScenarioFile(s, sc, path, file),
                    { } other => throw s.Error(other, "scenario: is the scenario's sections inline, or the path of a scenario file"),
                    null => throw s.Error(armNode, $"arm '{name}' needs scenario: (inline or a file) or from: another arm"),
                };
                map = YamlMerge.Over(YamlMerge.Over(parameters, own), Named(id, name, own));
                map = YamlMerge.Over(map, new YamlMappingNode { { "run", run } });
            }
            if (s["set"] is { } setNode)
            {
                if (setNode is not YamlMappingNode setMap) throw s.Error(setNode, "set: is a section of KEY: VALUE, e.g. { exits.MSR_WRITE.handle: 300cyc }");
                foreach (var (k, v) in setMap.Children) set.Add((((YamlScalarNode)k).Value ?? "", Scalar(s, v)));
            }
            if (s["with"] is { } withNode)
            {
                if (withNode is not YamlSequenceNode list) throw s.Error(withNode, "with: is a list of optimisations, e.g. [apicv]");
                foreach (var item in list.Children)
                {
                    string o = Scalar(s, item);
                    if (OptimisationCatalog.Find(o) is null)
                        throw s.Error(item, $"with: no optimisation '{o}' ({HintFor(o, OptimisationCatalog.All.Select(x => x.Name))})");
                    if (with.Contains(o)) throw s.Error(item, $"with: '{o}' is already applied to this arm");
                    with.Add(o);
                }
            }
            s.RejectUnknownKeys();
            var scenario = Build(s, armNode, map, set, with, file);
            if (scenario.Run.Replications < 2)
                throw top.Error(run, "run.replications: a case needs at least 2 replications for its 95 % CI");
            built.Add((new CaseArm(name, scenario, with.ToArray(), set.Select(x => $"{x.Item1}={x.Item2}").ToArray()), map, set));
        }
        return built.Select(b => b.Arm).ToArray();
    }

    /// <summary>A scenario without a name: is called after the case and arm.</summary>
    private static YamlMappingNode Named(string id, string arm, YamlMappingNode own) =>
        own.Children.Keys.Any(k => k is YamlScalarNode { Value: "name" }) ? new YamlMappingNode()
            : new YamlMappingNode { { "name", $"{id.ToLowerInvariant()}-{arm}" } };

    private static YamlMappingNode LoadScenarioFile(YamlSection s, YamlNode node, string path, string caseFile)
    {
        string full = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(caseFile))!, path);
        if (!File.Exists(full)) throw s.Error(node, $"scenario '{path}': no such file (paths are relative to the case file)");
        return ScenarioLoader.LoadRoot(File.ReadAllText(full), full);
    }

    /// <summary>The arm's scenario through the normal loader and plug-ins; a problem is located at the arm.</summary>
    private static Scenario Build(YamlSection s, YamlNode armNode, YamlMappingNode map, List<(string Key, string Value)> set, List<string> with, string file)
    {
        Scenario scenario;
        try
        {
            string text = YamlMerge.Text(map);
            scenario = set.Count > 0 ? ScenarioPatcher.Apply(text, file, set) : ScenarioLoader.Parse(text, file);
        }
        catch (ScenarioException e) { throw s.Error(armNode, $"arm '{s.Path[5..]}': {e.Message}"); }
        catch (FormatException e) { throw s.Error(armNode, $"arm '{s.Path[5..]}': {e.Message}"); }
        foreach (var o in with)
            if (OptimisationCatalog.AlreadyOn(scenario, o) is { } on) throw s.Error(armNode, $"arm '{s.Path[5..]}': with: {on}");
        try { return with.Count > 0 ? OptimisationCatalog.Apply(scenario, with) : scenario; }
        catch (OptimisationException e) { throw s.Error(armNode, $"arm '{s.Path[5..]}': with: {e.Message}"); }
    }
}
