namespace ExitSim.Tests.Calibration;

/// <summary>tests/fixtures is a copy of the team's shared fixtures; this catches the two drifting apart.</summary>
public class FixtureCopyTests
{
    [Fact]
    public void Shipped_fixtures_match_the_shared_ones_where_they_are_present()
    {
        string shared = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "fixtures"));
        if (!Directory.Exists(shared)) return; // a clone without the shared folder next to it: nothing to compare
        foreach (var file in Directory.GetFiles(shared))
        {
            string copy = Repo.Path("tests", "fixtures", Path.GetFileName(file));
            Assert.True(File.Exists(copy), $"{Path.GetFileName(file)} is in shared/fixtures but not in tests/fixtures");
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(copy));
        }
    }
}
