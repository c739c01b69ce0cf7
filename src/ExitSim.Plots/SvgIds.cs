using System.Text.RegularExpressions;

namespace ExitSim.Plots;

/// <summary>
/// Renames the ids of an SVG document (Skia numbers clip paths from a process-wide counter) to
/// prefix + 1, 2, … in order of appearance: the same chart gives the same bytes, and several SVGs
/// inlined in one HTML page do not clash.
/// </summary>
internal static partial class SvgIds
{
    [GeneratedRegex("""\bid="([^"]+)"|url\(#([^)]+)\)|href="#([^"]+)"|\bxmlns(:\w+)?="[^"]*"\s?""")]
    private static partial Regex IdOrReference();

    public static string Renumber(string svg, string prefix, bool dropNamespaces = false)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Name(string old)
        {
            if (!names.TryGetValue(old, out var name)) names[old] = name = prefix + (names.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return name;
        }
        return IdOrReference().Replace(svg, m =>
        {
            if (m.Groups[1].Success) return $"id=\"{Name(m.Groups[1].Value)}\"";
            if (m.Groups[2].Success) return $"url(#{Name(m.Groups[2].Value)})";
            if (m.Groups[3].Success) return $"href=\"#{Name(m.Groups[3].Value)}\"";
            return dropNamespaces ? "" : m.Value;   // xmlns: not needed inside HTML
        });
    }
}
