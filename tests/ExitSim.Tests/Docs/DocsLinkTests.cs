using System.Text.RegularExpressions;

namespace ExitSim.Tests.Docs;

/// <summary>
/// The documentation holds together: every relative link in the repository's Markdown reaches a file
/// (and a heading, when it names one), every docs page a comment or scenario cites exists, and every
/// section of docs/kvm-facts.md they cite is there.
/// </summary>
public partial class DocsLinkTests
{
    private static readonly string[] Skipped = ["bin", "obj", ".git", "artifacts", "TestResults", "node_modules"];

    public static IEnumerable<string> MarkdownFiles() =>
        Files("*.md").Where(f => !f.StartsWith("tests/fixtures/", StringComparison.Ordinal) || f.EndsWith("README.md", StringComparison.Ordinal));

    [Fact]
    public void Every_relative_link_in_the_markdown_resolves()
    {
        var problems = new List<string>();
        var docs = new Dictionary<string, MarkdownDocument>(StringComparer.Ordinal);
        MarkdownDocument Doc(string full) => docs.TryGetValue(full, out var d) ? d : docs[full] = MarkdownDocument.Load(full);
        int checkedLinks = 0;
        foreach (string file in MarkdownFiles())
        {
            string full = Repo.Path(file);
            foreach (var (line, target) in Doc(full).Links)
            {
                if (SchemeRegex().IsMatch(target)) continue;   // https:, mailto: …
                checkedLinks++;
                int hash = target.IndexOf('#');
                string pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
                string? anchor = hash < 0 ? null : target[(hash + 1)..];
                string resolved = pathPart.Length == 0 ? full : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, pathPart));
                if (!resolved.StartsWith(Repo.Root, StringComparison.Ordinal))
                    problems.Add($"{file}:{line}: {target} points outside the repository");
                else if (!File.Exists(resolved) && !Directory.Exists(resolved))
                    problems.Add($"{file}:{line}: {target} does not exist");
                else if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.Ordinal) && !Doc(resolved).Anchors.Contains(anchor))
                    problems.Add($"{file}:{line}: {target}: no heading with anchor #{anchor} in {Path.GetRelativePath(Repo.Root, resolved)}");
            }
        }
        Assert.True(checkedLinks > 50, $"only {checkedLinks} relative links found: is the scan reading the files?");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Docs_pages_cited_in_code_scenarios_and_notebooks_exist()
    {
        var problems = new List<string>();
        foreach (string file in CitingFiles())
        {
            var lines = File.ReadAllLines(Repo.Path(file));
            for (int i = 0; i < lines.Length; i++)
                foreach (Match m in DocsPageRegex().Matches(lines[i]))
                    if (!File.Exists(Repo.Path(m.Value)))
                        problems.Add($"{file}:{i + 1}: cites {m.Value}, which is not in the repository");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Cited_sections_of_kvm_facts_exist()
    {
        var sections = KvmFactsSections();
        Assert.Contains("3.1", sections);   // the scan itself works
        var problems = new List<string>();
        foreach (string file in CitingFiles().Concat(MarkdownFiles()))
        {
            var lines = File.ReadAllLines(Repo.Path(file));
            for (int i = 0; i < lines.Length; i++)
                foreach (Match m in KvmFactsCitationRegex().Matches(lines[i]))
                    foreach (Match n in SectionNumberRegex().Matches(m.Groups["list"].Value))
                        if (!sections.Contains(n.Groups[1].Value))
                            problems.Add($"{file}:{i + 1}: cites kvm-facts.md §{n.Groups[1].Value}, which has no such section");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Readme_stays_short_and_keeps_the_two_commands()
    {
        string readme = Repo.Path("README.md");
        long bytes = new FileInfo(readme).Length;
        Assert.True(bytes <= 12 * 1024, $"README.md is {bytes} bytes; keep it at most 12 KiB and move details to docs/");
        string text = File.ReadAllText(readme);
        Assert.Contains("dotnet run --project src/ExitSim.Cli -- run scenarios/database.yaml", text);
        Assert.Contains("\ndotnet test ", text);
    }

    [Fact]
    public void Slugs_follow_github()
    {
        Assert.Equal("the-kpi-targets", MarkdownDocument.Slug("The KPI targets"));
        Assert.Equal("explain-why-is-this-vm-slow", MarkdownDocument.Slug("Explain: why is this VM slow?"));
        Assert.Equal("31-microbenchmarks-x86-kvm", MarkdownDocument.Slug("§3.1 Microbenchmarks (x86 KVM)"));
        Assert.Equal("one-vcpus-timeline-exitsim-trace", MarkdownDocument.Slug("One vCPU's timeline: `exitsim trace`"));
        Assert.Equal("calibration-exitsim-calibrate", MarkdownDocument.Slug("Calibration (`exitsim calibrate`)"));
    }

    /// <summary>Section numbers of docs/kvm-facts.md: headings "§1.1 …" and list items "**§5.2**".</summary>
    private static HashSet<string> KvmFactsSections()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(Repo.Path("docs", "kvm-facts.md")))
            if (SectionDefinitionRegex().Match(line) is { Success: true } m) set.Add(m.Groups[1].Value);
        return set;
    }

    /// <summary>Source, scenarios and notebooks: where comments and user-facing strings cite docs.</summary>
    private static IEnumerable<string> CitingFiles() =>
        new[] { "*.cs", "*.yaml", "*.ipynb" }.SelectMany(Files)
            .Where(f => f.StartsWith("src/", StringComparison.Ordinal) || f.StartsWith("scenarios/", StringComparison.Ordinal)
                        || f.StartsWith("notebooks/", StringComparison.Ordinal) || f.StartsWith("tests/", StringComparison.Ordinal)
                        || f.StartsWith("tools/", StringComparison.Ordinal));

    /// <summary>Repository files matching <paramref name="pattern"/>, relative with '/' separators, build output left out.</summary>
    private static IEnumerable<string> Files(string pattern) =>
        Directory.EnumerateFiles(Repo.Root, pattern, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => Skipped.Contains(part)))
            .Order(StringComparer.Ordinal);

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex SchemeRegex();

    [GeneratedRegex(@"\bdocs/[A-Za-z0-9_-]+\.md")]
    private static partial Regex DocsPageRegex();

    /// <summary>"kvm-facts.md §2.1, §2.2" or "kvm-facts.md §2.1–2.2" or "[kvm-facts.md §3.6](kvm-facts.md)".</summary>
    [GeneratedRegex(@"kvm-facts\.md\)?\s*(?<list>§\s?\d+(?:\.\d+)?(?:\s*(?:,|–|-|and)\s*§?\s?\d+(?:\.\d+)?)*)")]
    private static partial Regex KvmFactsCitationRegex();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)")]
    private static partial Regex SectionNumberRegex();

    [GeneratedRegex(@"^(?:#{2,3} §|- \*\*§)(\d+(?:\.\d+)?)[ *]")]
    private static partial Regex SectionDefinitionRegex();
}
