using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExitSim.Tests.Docs;

/// <summary>
/// The links and the anchors of one Markdown file, read the way GitHub renders it: nothing inside
/// fenced code blocks or inline code counts, and a heading's anchor is its text lower-cased with
/// punctuation and symbols dropped and spaces turned into hyphens (duplicates get -1, -2, …).
/// </summary>
public sealed partial class MarkdownDocument
{
    public string Path { get; }
    /// <summary>Each inline link or image target with its 1-based line.</summary>
    public IReadOnlyList<(int Line, string Target)> Links { get; }
    public IReadOnlySet<string> Anchors { get; }

    private MarkdownDocument(string path, List<(int, string)> links, HashSet<string> anchors)
    {
        Path = path;
        Links = links;
        Anchors = anchors;
    }

    public static MarkdownDocument Load(string path)
    {
        var links = new List<(int, string)>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? fence = null;
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            var f = Fence().Match(line);
            if (f.Success)
            {
                string marker = f.Groups[1].Value;
                if (fence is null) { fence = marker; continue; }
                if (marker[0] == fence[0] && marker.Length >= fence.Length) { fence = null; continue; }
            }
            if (fence is not null) continue;

            string text = InlineCode().Replace(line, "");
            foreach (Match m in Link().Matches(text)) links.Add((i + 1, m.Groups["target"].Value));
            foreach (Match m in HtmlAnchor().Matches(line)) anchors.Add(m.Groups[1].Value);
            var h = Heading().Match(line);
            if (h.Success)
            {
                string slug = Slug(h.Groups[1].Value);
                int n = seen.GetValueOrDefault(slug);
                seen[slug] = n + 1;
                anchors.Add(n == 0 ? slug : $"{slug}-{n}");
            }
        }
        return new MarkdownDocument(path, links, anchors);
    }

    /// <summary>GitHub's heading anchor: link text kept, code and emphasis markers dropped, then github-slugger's rule.</summary>
    public static string Slug(string heading)
    {
        string text = LinkInHeading().Replace(heading, "$1").Replace("`", "").Replace("*", "");
        var sb = new StringBuilder();
        foreach (char c in text.Trim().ToLowerInvariant())
        {
            var cat = char.GetUnicodeCategory(c);
            if (c == ' ') sb.Append('-');
            else if (c == '-' || char.IsLetterOrDigit(c) || cat is UnicodeCategory.ConnectorPunctuation
                     or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
                sb.Append(c);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"^\s{0,3}(`{3,}|~{3,})")]
    private static partial Regex Fence();

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"<a\s+(?:id|name)=""([^""]+)""")]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkInHeading();
}
