using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExitSim.Scenarios;

/// <summary>
/// Checks the shape of a YAML text on YamlDotNet's event stream before its representation model is
/// built: that model recurses once per nesting level (100,000 levels overflow the stack and kill the
/// process), casts every key to a scalar, and reports an undefined alias without its place. The event
/// parser keeps its own stack, so this scan is safe at any depth.
/// </summary>
internal static class YamlGuard
{
    public static void Check(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        // Per open collection: whether it is a mapping, and how many nodes it has had (even → the next is a key).
        var open = new Stack<(bool Mapping, int Nodes)>();
        try
        {
            while (parser.MoveNext())
            {
                var ev = parser.Current!;
                switch (ev)
                {
                    case DocumentStart:
                        anchors.Clear();
                        break;
                    case SequenceEnd or MappingEnd:
                        open.Pop();
                        break;
                    case Scalar or SequenceStart or MappingStart or AnchorAlias:
                        if (open.TryPop(out var parent))
                        {
                            if (parent.Mapping && parent.Nodes % 2 == 0 && ev is not Scalar)
                                throw Fail(file, ev, "a key must be a plain name, not a list, a mapping or an alias (write name: value; quote a name with odd characters)");
                            open.Push((parent.Mapping, parent.Nodes + 1));
                        }
                        if (ev is AnchorAlias alias && !anchors.Contains(alias.Value.Value))
                            throw Fail(file, ev, $"undefined alias '*{alias.Value.Value}' (define it above with &{alias.Value.Value} on the value it stands for)");
                        if (ev is NodeEvent { Anchor.IsEmpty: false } node) anchors.Add(node.Anchor.Value);
                        if (ev is SequenceStart or MappingStart)
                        {
                            if (open.Count >= ScenarioLimits.MaxYamlDepth)
                                throw Fail(file, ev, $"YAML nested more than {ScenarioLimits.MaxYamlDepth} levels deep (a scenario needs 4: check for unclosed '[' or '{{')");
                            open.Push((ev is MappingStart, 0));
                        }
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // A syntax error: loading the representation model reports it, no deeper than the levels seen here.
        }
    }

    private static ScenarioException Fail(string file, ParsingEvent at, string message) =>
        new(file, (int)at.Start.Line, (int)at.Start.Column, message);
}
