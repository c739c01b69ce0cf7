namespace ExitSim.Tests.Calibration;

/// <summary>tests/fixtures is a copy of the team's shared fixtures; this catches the two drifting apart.</summary>
public class FixtureCopyTests
{
    [SkippableFact]
    public void Shipped_fixtures_match_the_shared_ones_where_they_are_present()
    {
        string shared = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "fixtures"));
        Skip.IfNot(Directory.Exists(shared), $"no shared fixtures next to the repository ({shared}): nothing to compare with");
        var files = Directory.GetFiles(shared, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            string relative = Path.GetRelativePath(shared, file);
            string copy = Repo.Path("tests", "fixtures", relative);
            Assert.True(File.Exists(copy), $"{relative} is in shared/fixtures but not in tests/fixtures");
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(copy)), $"tests/fixtures/{relative} differs from shared/fixtures/{relative}");
        }
    }
}
